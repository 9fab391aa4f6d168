import type { Mapping } from '../config/index.js';
import { impactLevels } from '../domain/impacts.js';
import { priorities, priorityLabel } from '../domain/priorities.js';
import { roleTypes } from '../domain/roles.js';
import type { PrismaClient } from './prisma.js';

/**
 * Reference data: priorities, impact levels and role types from the domain with their words
 * from the mapping file's vocabulary; impact types, environments and categories from the mapping. Upserts only, so it runs at every start and a changed
 * mapping file updates names and flags without touching incidents.
 */
export async function seedReferenceData(prisma: PrismaClient, mapping: Mapping): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { vocabulary } = mapping;
    for (const priority of priorities) {
      const { emoji, description } = priorityLabel(priority.value, vocabulary.priorities);
      const data = { ...priority, emoji, description };
      await tx.priority.upsert({
        where: { id: priority.value },
        create: { id: priority.value, ...data },
        update: data,
      });
    }
    for (const [order, type] of vocabulary.impactTypes.entries()) {
      const data = { ...type, order: order + 1 };
      const row = await tx.impactType.upsert({ where: { slug: type.slug }, create: data, update: data });
      for (const level of impactLevels) {
        const levelData = { ...level, name: vocabulary.impactLevels[level.value] };
        await tx.impactLevel.upsert({
          where: { impactTypeId_value: { impactTypeId: row.id, value: level.value } },
          create: { impactTypeId: row.id, ...levelData },
          update: levelData,
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
