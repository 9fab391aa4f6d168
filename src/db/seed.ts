import type { Mapping } from '../config/index.js';
import { impactLevels, impactTypes } from '../domain/impacts.js';
import { priorities } from '../domain/priorities.js';
import { roleTypes } from '../domain/roles.js';
import type { PrismaClient } from './prisma.js';

/**
 * Reference data: priorities, impact types/levels and role types from the domain, environments
 * and categories from the mapping file. Upserts only, so it runs at every start and a changed
 * mapping file updates names and flags without touching incidents.
 */
export async function seedReferenceData(prisma: PrismaClient, mapping: Mapping): Promise<void> {
  await prisma.$transaction(async (tx) => {
    for (const priority of priorities) {
      const data = { ...priority };
      await tx.priority.upsert({
        where: { id: priority.value },
        create: { id: priority.value, ...data },
        update: data,
      });
    }
    for (const type of impactTypes) {
      const row = await tx.impactType.upsert({ where: { slug: type.slug }, create: type, update: type });
      for (const level of impactLevels) {
        await tx.impactLevel.upsert({
          where: { impactTypeId_value: { impactTypeId: row.id, value: level.value } },
          create: { impactTypeId: row.id, ...level },
          update: level,
        });
      }
    }
    for (const role of roleTypes) {
      await tx.roleType.upsert({ where: { slug: role.slug }, create: role, update: role });
    }
    for (const [order, environment] of mapping.catalog.environments.entries()) {
      const data = { name: environment.name, isDefault: environment.default, order };
      await tx.environment.upsert({
        where: { value: environment.value },
        create: { value: environment.value, ...data },
        update: data,
      });
    }
    const activeCategories: string[] = [];
    for (const [groupOrder, group] of mapping.catalog.groups.entries()) {
      const groupRow = await tx.group.upsert({
        where: { name: group.name },
        create: { name: group.name, order: groupOrder },
        update: { order: groupOrder },
      });
      for (const [order, category] of group.categories.entries()) {
        activeCategories.push(category.name);
        const data = { groupId: groupRow.id, isPrivate: category.private, order, deprecated: false };
        await tx.category.upsert({
          where: { name: category.name },
          create: { name: category.name, ...data },
          update: data,
        });
      }
    }
    // Categories removed from the mapping stay for old incidents but are no longer offered.
    await tx.category.updateMany({
      where: { name: { notIn: activeCategories } },
      data: { deprecated: true },
    });
  });
}
