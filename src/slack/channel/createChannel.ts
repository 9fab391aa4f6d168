import type { WebClient } from '@slack/web-api';
import type { PrismaClient } from '../../db/prisma.js';
import type { IncidentCard } from '../../db/repositories/incidentCard.js';
import { incidentChannelName, suffixedChannelName } from '../../domain/channelName.js';
import { AppError } from '../../errors.js';
import { asSlackError, slackErrorCode } from '../slackErrors.js';

const MAX_NAME_ATTEMPTS = 20;

/**
 * The incident's channel: the stored one, or a new one named `{YYYYMMDD}-{id}-{envs}-{category}`
 * (`-2`, `-3`… on `name_taken`). Private categories get a private channel and NEVER fall back
 * to a public one: a failure is reported instead. Stored right after creation so a retry reuses it.
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
    try {
      const result = await slack.conversations.create({ name, is_private: isPrivate });
      channelId = result.channel?.id;
    } catch (error) {
      if (slackErrorCode(error) === 'name_taken') continue;
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
    if (!channelId)
      throw new AppError('SLACK_API_ERROR', 'conversations.create returned no channel id', {
        retryable: true,
      });
    await prisma.slackChannel.create({ data: { incidentId: card.id, channelId, name, isPrivate } });
    return { id: channelId, name, created: true };
  }
  throw new AppError(
    'SLACK_API_ERROR',
    `no free channel name after ${MAX_NAME_ATTEMPTS} attempts (${base})`,
    {
      userMessage: `every channel name from \`${base}\` to \`${suffixedChannelName(base, MAX_NAME_ATTEMPTS)}\` is taken`,
    },
  );
}
