import { recordJiraLookup, upsertSlackUser } from '../db/repositories/users.js';
import type { AppDeps } from '../deps.js';
import { asAppError } from '../errors.js';
import { jiraAccountForUser } from '../jobs/effects/jiraAccounts.js';
import { asSlackError } from '../slack/slackErrors.js';

/** The commander's Jira account (exact email), or undefined when they have none we can find. */
export async function jiraAccountOfSlackUser(
  deps: AppDeps,
  slackUserId: string,
): Promise<string | undefined> {
  if (!slackUserId) return undefined;
  const user = await upsertSlackUser(deps.prisma, slackUserId);
  return jiraAccountForUser(deps, user.id);
}

/**
 * The Slack user behind a Jira account: one we already linked, else by the email Jira shows
 * (users.lookupByEmail). Jira hides most emails: then there is no way to tell, and the answer is
 * undefined (the caller journals why). An outage on either side throws (the job retries).
 */
export async function slackUserOfJiraAccount(deps: AppDeps, accountId: string): Promise<string | undefined> {
  const known = await deps.prisma.user.findUnique({ where: { jiraAccountId: accountId } });
  if (known?.slackUserId) return known.slackUserId;
  if (!deps.jira) return undefined;
  const account = await deps.jira.accountInfo(accountId).catch((error: unknown) => {
    const appError = asAppError(error);
    if (appError.retryable) throw appError;
    return undefined;
  });
  const email = account?.emailAddress;
  if (!email) return undefined;
  let slackUserId: string | undefined;
  try {
    const found = await deps.slack.users.lookupByEmail({ email });
    slackUserId = found.user?.id;
  } catch (error) {
    const slackError = asSlackError(error, 'users.lookupByEmail');
    if (slackError.retryable) throw slackError;
    return undefined; // users_not_found: an answer
  }
  if (!slackUserId) return undefined;
  const user = await upsertSlackUser(deps.prisma, slackUserId);
  await recordJiraLookup(deps.prisma, user.id, accountId);
  return slackUserId;
}
