import { recordJiraLookup, rememberEmail, userById } from '../../db/repositories/users.js';
import type { AppDeps } from '../../deps.js';
import { AppError, asAppError } from '../../errors.js';
import { asSlackError } from '../../slack/slackErrors.js';

/** How long "no Jira account for this email" is believed before asking Jira again. */
const NEGATIVE_CACHE_MS = 24 * 3600_000;

const lookupFailed = (what: string, error: unknown) =>
  new AppError('JIRA_USER_LOOKUP_FAILED', `${what} failed: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
    retryable: true,
    userMessage: `The reporter's Jira account could not be looked up (${what}); trying again.`,
  });

/**
 * Slack user → email (users.info) → Jira account with exactly that email (or the single
 * account Jira matches when it hides the email), cached on the User row. A user without an
 * account resolves to undefined (the caller uses the fallback) and is asked about again after a
 * day. A lookup that FAILED (Slack or Jira down) is not an answer: it throws a retryable
 * JIRA_USER_LOOKUP_FAILED, so the ticket is not created with the wrong reporter for good.
 */
export async function jiraAccountForUser(deps: AppDeps, userId: number): Promise<string | undefined> {
  const user = await userById(deps.prisma, userId);
  if (!user) return undefined;
  if (user.jiraAccountId) return user.jiraAccountId;
  if (user.jiraLookupAt && Date.now() - user.jiraLookupAt.getTime() < NEGATIVE_CACHE_MS) return undefined;
  if (!deps.jira) return undefined;

  let email = user.email;
  if (!email && user.slackUserId) {
    try {
      const info = await deps.slack.users.info({ user: user.slackUserId });
      email = info.user?.profile?.email ?? null;
    } catch (error) {
      const slackError = asSlackError(error, 'users.info');
      if (slackError.retryable) throw lookupFailed('Slack users.info', error);
      email = null; // user_not_found and the like: an answer, not an outage
    }
    if (email) await rememberEmail(deps.prisma, user.id, email);
  }
  if (!email) {
    await recordJiraLookup(deps.prisma, user.id, undefined);
    return undefined;
  }
  let accountId: string | undefined;
  try {
    accountId = await deps.jira.findAccountIdByEmail(email);
  } catch (error) {
    const appError = asAppError(error);
    if (appError.retryable) throw lookupFailed('Jira user search', error);
    // E.g. the bot may not browse users: a reason to use the fallback, never to block the ticket.
    deps.logger.warn({ err: appError, userId }, 'Jira user search refused; using the fallback reporter');
    accountId = undefined;
  }
  await recordJiraLookup(deps.prisma, user.id, accountId);
  return accountId;
}
