import type { PrismaClient } from '../prisma.js';

/**
 * Ids of the reference rows (categories, environments, impact levels, role types). They change
 * only when the bot starts and seeds them, so they are read once and kept in memory: declaring
 * an incident then needs no lookups inside its transaction.
 */
export interface ReferenceData {
  categoryByName: Map<string, { id: number; isPrivate: boolean }>;
  environmentIdByValue: Map<string, number>;
  /** `${impactTypeSlug}:${levelValue}` → ids. */
  impactLevel: Map<string, { impactTypeId: number; impactLevelId: number }>;
  roleTypeIdBySlug: Map<string, number>;
}

export async function loadReferenceData(prisma: PrismaClient): Promise<ReferenceData> {
  const [categories, environments, levels, roleTypes] = await Promise.all([
    prisma.category.findMany(),
    prisma.environment.findMany(),
    prisma.impactLevel.findMany({ include: { impactType: true } }),
    prisma.roleType.findMany(),
  ]);
  return {
    categoryByName: new Map(
      categories.map((category) => [category.name, { id: category.id, isPrivate: category.isPrivate }]),
    ),
    environmentIdByValue: new Map(environments.map((environment) => [environment.value, environment.id])),
    impactLevel: new Map(
      levels.map((level) => [
        `${level.impactType.slug}:${level.value}`,
        { impactTypeId: level.impactTypeId, impactLevelId: level.id },
      ]),
    ),
    roleTypeIdBySlug: new Map(roleTypes.map((roleType) => [roleType.slug, roleType.id])),
  };
}
