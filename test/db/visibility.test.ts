import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleTo } from '../../src/db/repositories/visibility.js';
import { isVisibleTo } from '../../src/domain/visibility.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** The visibility rule exists twice — a pure function and a query filter — and must not drift. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

describe('the visibility rule and its query agree', () => {
  it('for reporters, role holders, members and outsiders of public and private incidents', async () => {
    const user = (slackUserId: string) => db.prisma.user.create({ data: { slackUserId } });
    const [reporter, commander, member, outsider] = await Promise.all(
      ['U0REP', 'U0CMD', 'U0MEM', 'U0OUT'].map(user),
    );
    const category = await db.prisma.category.findFirstOrThrow();
    const role = await db.prisma.roleType.findUniqueOrThrow({ where: { slug: 'commander' } });
    for (const isPrivate of [false, true]) {
      await db.prisma.incident.create({
        data: {
          title: isPrivate ? 'private one' : 'public one',
          description: 'x',
          priorityId: 2,
          categoryId: category.id,
          isPrivate,
          createdById: reporter!.id,
          roles: { create: { roleTypeId: role.id, userId: commander!.id } },
          members: { create: { userId: member!.id } },
        },
      });
    }
    const incidents = await db.prisma.incident.findMany({
      include: { createdBy: true, roles: { include: { user: true } }, members: { include: { user: true } } },
    });
    for (const viewer of [reporter!, commander!, member!, outsider!].map((row) => row.slackUserId!)) {
      const byRule = incidents
        .filter((incident) =>
          isVisibleTo(
            {
              isPrivate: incident.isPrivate,
              reporterSlackId: incident.createdBy.slackUserId,
              roleHolderSlackIds: incident.roles.map((role) => role.user.slackUserId!),
              memberSlackIds: incident.members.map((member) => member.user.slackUserId!),
            },
            viewer,
          ),
        )
        .map((incident) => incident.title)
        .sort();
      const byQuery = (
        await db.prisma.incident.findMany({ where: visibleTo(viewer), select: { title: true } })
      )
        .map((incident) => incident.title)
        .sort();
      expect(byQuery, viewer).toEqual(byRule);
      expect(byRule, viewer).toEqual(viewer === 'U0OUT' ? ['public one'] : ['private one', 'public one']);
    }
  });
});
