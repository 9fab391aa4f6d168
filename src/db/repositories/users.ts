import { Prisma, type Db } from '../prisma.js';

/**
 * The User row of a Slack user, created on first sight. Reads first and writes only what
 * changed, so concurrent declarations by one person do not queue on a row lock.
 */
export async function upsertSlackUser(db: Db, slackUserId: string, teamId?: string, name?: string) {
  const existing = await db.user.findUnique({ where: { slackUserId } });
  if (existing) {
    return name && existing.name !== name
      ? db.user.update({ where: { id: existing.id }, data: { name } })
      : existing;
  }
  try {
    return await db.user.create({ data: { slackUserId, slackTeamId: teamId ?? null, name: name ?? null } });
  } catch (error) {
    // Created concurrently by another request: use that row.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      return db.user.findUniqueOrThrow({ where: { slackUserId } });
    }
    throw error;
  }
}
