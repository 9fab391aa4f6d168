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

export async function userById(db: Db, id: number) {
  return db.user.findUnique({ where: { id } });
}

/** Remember a user's email, unless another row (e.g. made from Jira) already owns it. */
export async function rememberEmail(db: Db, userId: number, email: string): Promise<void> {
  const owner = await db.user.findUnique({ where: { email } });
  if (!owner) await db.user.update({ where: { id: userId }, data: { email } });
}

/** Record a Jira account lookup: when, and the account found (unless another user has it). */
export async function recordJiraLookup(db: Db, userId: number, accountId: string | undefined): Promise<void> {
  const taken = accountId ? await db.user.findUnique({ where: { jiraAccountId: accountId } }) : null;
  await db.user.update({
    where: { id: userId },
    data: { jiraLookupAt: new Date(), ...(accountId && !taken ? { jiraAccountId: accountId } : {}) },
  });
}

/** Jira says this account does not exist here (deleted, another site): forget it, look again later. */
export async function forgetJiraAccount(db: Db, accountId: string): Promise<void> {
  await db.user.updateMany({
    where: { jiraAccountId: accountId },
    data: { jiraAccountId: null, jiraLookupAt: new Date() },
  });
}

/** Remember that this person looks at the App Home (so it is refreshed for them). */
export async function markHomeOpened(db: Db, slackUserId: string): Promise<void> {
  const user = await upsertSlackUser(db, slackUserId);
  await db.user.update({ where: { id: user.id }, data: { homeOpenedAt: new Date() } });
}

/** People who opened the App Home since `since`, most recent first. */
export async function recentHomeViewers(db: Db, since: Date, limit = 500): Promise<string[]> {
  const users = await db.user.findMany({
    where: { homeOpenedAt: { gte: since }, slackUserId: { not: null } },
    orderBy: { homeOpenedAt: 'desc' },
    take: limit,
    select: { slackUserId: true },
  });
  return users.map((user) => user.slackUserId!);
}
