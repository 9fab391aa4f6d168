import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { asSlackError, slackErrorCode } from './slackErrors.js';

/** Errors that mean "this user is fine as they are" rather than a failure. */
const harmless = new Set(['already_in_channel', 'cant_invite_self']);

/**
 * Invite users in one batch; if the batch fails (one deactivated user fails all of them), invite
 * one by one so everyone else still gets in. Individual failures are logged and returned.
 */
export async function inviteUsers(
  slack: WebClient,
  channelId: string,
  userIds: readonly string[],
  logger: Logger,
): Promise<{ failed: { user: string; error: string }[] }> {
  const users = [...new Set(userIds)].filter(Boolean);
  if (users.length === 0) return { failed: [] };
  try {
    await slack.conversations.invite({ channel: channelId, users: users.join(',') });
    return { failed: [] };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && harmless.has(code) && users.length === 1) return { failed: [] };
    const appError = asSlackError(error, 'conversations.invite');
    if (appError.retryable && !code) throw appError; // Slack down: let the job retry the whole step
    logger.warn({ channelId, error: code }, 'batch invite failed; inviting one by one');
  }
  const failed: { user: string; error: string }[] = [];
  for (const user of users) {
    try {
      await slack.conversations.invite({ channel: channelId, users: user });
    } catch (error) {
      const code = slackErrorCode(error);
      if (code && harmless.has(code)) continue;
      const appError = asSlackError(error, 'conversations.invite');
      if (appError.retryable) throw appError;
      failed.push({ user, error: code ?? appError.message });
    }
  }
  if (failed.length) logger.warn({ channelId, failed }, 'some users could not be invited');
  return { failed };
}
