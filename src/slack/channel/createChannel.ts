import type { WebClient } from '@slack/web-api';
import type { PrismaClient } from '../../db/prisma.js';
import type { IncidentCard } from '../../db/repositories/incidentCard.js';
import { incidentChannelName, suffixedChannelName } from '../../domain/channelName.js';
import { AppError } from '../../errors.js';
import { asSlackError, slackCall, slackErrorCode } from '../slackErrors.js';

const MAX_NAME_ATTEMPTS = 20;
/** Clock skew allowed between Slack's `created` and our incident's creation time. */
const CREATED_SLACK_SECONDS = 120;

interface ListedChannel {
  id?: string;
  name?: string;
  creator?: string;
  created?: number;
  is_archived?: boolean;
}

/**
 * `name_taken` on a name we tried: is that channel ours? A create whose answer was lost
 * (timeout, 5xx after the fact, a crash before we stored it) leaves our own channel behind, and
 * a retry must adopt it rather than make `-2`. Ours means: this exact name (it carries the
 * incident id), created by this bot, no earlier than the incident itself, not archived.
 */
async function findOwnChannel(
  slack: WebClient,
  name: string,
  card: IncidentCard,
): Promise<ListedChannel | undefined> {
  const identity = await slackCall('auth.test', () => slack.auth.test());
  const earliest = Math.floor(card.createdAt.getTime() / 1000) - CREATED_SLACK_SECONDS;
  let cursor: string | undefined;
  do {
    const page = await slackCall('conversations.list', () =>
      slack.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      }),
    );
    const found = (page.channels as ListedChannel[] | undefined)?.find((channel) => channel.name === name);
    if (found) {
      const ours =
        found.creator === identity.user_id && (found.created ?? 0) >= earliest && !found.is_archived;
      return ours ? found : undefined;
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return undefined;
}

/**
 * The incident's channel: the stored one, or a new one named `{YYYYMMDD}-{id}-{envs}-{category}`
 * (`-2`, `-3`… when the name belongs to someone else). Private categories get a private channel
 * and NEVER fall back to a public one: a failure is reported instead. Stored right after
 * creation so a retry reuses it; a channel created by a call whose answer was lost is adopted.
 */
export async function ensureIncidentChannel(
  prisma: PrismaClient,
  slack: WebClient,
  card: IncidentCard,
): Promise<{ id: string; name: string; created: boolean }> {
  const stored = await prisma.slackChannel.findUnique({ where: { incidentId: card.id } });
  if (stored) return { id: stored.channelId, name: stored.name, created: false };

  const base = incidentChannelName({
    id: card.id,
    createdAt: card.createdAt,
    environments: card.environments,
    category: card.category.name,
  });
  const isPrivate = card.category.isPrivate;
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt += 1) {
    const name = attempt === 1 ? base : suffixedChannelName(base, attempt);
    let channelId: string | undefined;
    let created = true;
    try {
      const result = await slack.conversations.create({ name, is_private: isPrivate });
      channelId = result.channel?.id;
    } catch (error) {
      if (slackErrorCode(error) === 'name_taken') {
        const own = await findOwnChannel(slack, name, card);
        if (!own?.id) continue;
        channelId = own.id;
        created = false;
      } else {
        const appError = asSlackError(error, 'conversations.create');
        if (isPrivate && !appError.retryable) {
          throw new AppError('SLACK_API_ERROR', `private channel creation failed: ${appError.message}`, {
            cause: error,
            userMessage:
              `the private channel could not be created (${appError.userMessage}). ` +
              'No public channel was created instead, to keep this incident confidential: check the bot has the groups:write scope.',
          });
        }
        throw appError;
      }
    }
    if (!channelId)
      throw new AppError('SLACK_API_ERROR', 'conversations.create returned no channel id', {
        retryable: true,
      });
    await prisma.slackChannel.create({ data: { incidentId: card.id, channelId, name, isPrivate } });
    return { id: channelId, name, created };
  }
  throw new AppError(
    'SLACK_API_ERROR',
    `no free channel name after ${MAX_NAME_ATTEMPTS} attempts (${base})`,
    {
      userMessage: `every channel name from \`${base}\` to \`${suffixedChannelName(base, MAX_NAME_ATTEMPTS)}\` is taken`,
    },
  );
}
