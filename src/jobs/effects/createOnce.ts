import { claimCreateAttempt, clearCreateIntent } from '../../db/repositories/createIntents.js';
import type { AppDeps } from '../../deps.js';
import { AppError, asAppError } from '../../errors.js';
import { outcomeUnknown } from '../../jira/errors.js';
import type { JiraIssueRef } from '../../jira/gateway.js';

/**
 * Find the issue Jira already has under this marker label, or create it — exactly once, even
 * when an answer is lost:
 * 1. Search by the label: found → adopt.
 * 2. Not found, but an earlier create's outcome is unknown (timeout, 5xx, crash before it was
 *    stored) and Jira's search may still lag behind it, or another attempt is creating right
 *    now → wait and search again; never create.
 * 3. Otherwise claim the attempt (committed, atomically), create, and clear the intent once the
 *    answer says for sure (a 201, or a refusal that proves nothing was made).
 * The caller stores the result and clears the intent in the same transaction.
 */
export async function findOrCreateOnce<T extends { issue: JiraIssueRef }>(
  deps: AppDeps,
  request: { intentKey: string; label: string; what: string; create: () => Promise<T> },
): Promise<T | { issue: JiraIssueRef; adopted: true }> {
  const jira = deps.jira!;
  const found = (await jira.findIssuesByLabel(request.label))[0];
  if (found) return { issue: found, adopted: true };
  const lagMs = deps.config.env.JIRA_SEARCH_LAG_MS;
  // Claimed in one step: two attempts running side by side (two processes, or a request that
  // started a second job while the first ran) cannot both pass an empty search and create.
  const claim = await claimCreateAttempt(deps.prisma, request.intentKey, lagMs);
  if (!claim.claimed) {
    const sinceLastTry = claim.lastAttemptAt ? Date.now() - claim.lastAttemptAt.getTime() : lagMs;
    throw new AppError(
      'JIRA_OUTCOME_UNKNOWN',
      `an earlier create of ${request.what} got no answer or is under way; searching again before creating`,
      {
        retryable: true,
        retryAfterMs: Math.max(0, lagMs - sinceLastTry),
        userMessage: `Jira did not confirm ${request.what}; the bot is checking before trying again.`,
      },
    );
  }
  try {
    return await request.create();
  } catch (thrown) {
    const error = asAppError(thrown);
    // Only Jira's own refusal proves nothing was made; anything else (our database, a lost
    // answer) leaves the intent, so the retry looks before it creates.
    if (error.code.startsWith('JIRA_') && !outcomeUnknown(error)) {
      await clearCreateIntent(deps.prisma, request.intentKey);
    }
    throw error;
  }
}
