import type { AppDeps } from '../deps.js';

/** How long "no Jira account for this email" is believed before asking Jira again. */
const NEGATIVE_CACHE_MS = 24 * 3600_000;

/**
 * Slack user → email (users.info) → Jira account with exactly that email, cached on the User
 * row. Unknown users resolve to undefined (the caller uses the fallback account) and are asked
 * about again after a day, or at once if the lookup itself failed.
 */
export async function jiraAccountForUser(deps: AppDeps, userId: number): Promise<string | undefined> {
  const user = await deps.prisma.user.findUnique({ where: { id: userId } });
  if (!user) return undefined;
  if (user.jiraAccountId) return user.jiraAccountId;
  if (user.jiraLookupAt && Date.now() - user.jiraLookupAt.getTime() < NEGATIVE_CACHE_MS) return undefined;
  if (!deps.jira) return undefined;

  let email = user.email;
  if (!email && user.slackUserId) {
    try {
      const info = await deps.slack.users.info({ user: user.slackUserId });
      email = info.user?.profile?.email ?? null;
      if (email) {
        // Another row may already own this email (e.g. created from Jira); keep the first.
        const owner = await deps.prisma.user.findUnique({ where: { email } });
        if (!owner) await deps.prisma.user.update({ where: { id: user.id }, data: { email } });
      }
    } catch (error) {
      deps.logger.warn({ err: error, userId }, 'users.info failed; using the fallback Jira account');
      return undefined;
    }
  }
  if (!email) {
    await deps.prisma.user.update({ where: { id: user.id }, data: { jiraLookupAt: new Date() } });
    return undefined;
  }
  try {
    const accountId = await deps.jira.findAccountIdByEmail(email);
    const taken = accountId
      ? await deps.prisma.user.findUnique({ where: { jiraAccountId: accountId } })
      : null;
    await deps.prisma.user.update({
      where: { id: user.id },
      data: { jiraLookupAt: new Date(), ...(accountId && !taken ? { jiraAccountId: accountId } : {}) },
    });
    return accountId;
  } catch (error) {
    deps.logger.warn({ err: error, userId }, 'Jira user lookup failed; using the fallback account this time');
    return undefined;
  }
}
