import type { AppDeps } from '../../deps.js';
import type { IncidentCard } from '../../db/repositories/incidentCard.js';
import {
  MessageTypes,
  findMessage,
  saveMessage,
  type MessageType,
} from '../../db/repositories/slackMessages.js';
import {
  clearCreateIntent,
  findCreateIntent,
  recordCreateAttempt,
} from '../../db/repositories/createIntents.js';
import { belongsInIncidentsChannel } from '../../domain/visibility.js';
import { findLostPost, messageMetadata } from './lostPosts.js';
import { AppError } from '../../errors.js';
import { incidentAnnouncement, incidentsChannelNotice } from '../../slack/messages/incidentAnnouncement.js';
import { slackCall, slackCallTolerating } from '../../slack/slackErrors.js';

type Message = { text: string; blocks: unknown[] };

/**
 * Post a typed message once. If it was already posted (a retried job), edit it in place
 * instead, so the reader always sees the current state and never a duplicate. A post whose
 * answer was lost is an unknown outcome: the attempt is recorded before posting, and a retry
 * first looks for the message in the channel (by its metadata) and adopts it.
 */
export async function postOrUpdate(
  deps: AppDeps,
  incidentId: number,
  type: MessageType,
  channel: string,
  message: Message,
): Promise<{ channel: string; ts: string; posted: boolean }> {
  const intentKey = `slack-message:${incidentId}:${type}`;
  const metadata = messageMetadata(deps.installation.markerId, incidentId, type);
  let existing = await findMessage(deps.prisma, incidentId, type);
  if (!existing) {
    const intent = await findCreateIntent(deps.prisma, intentKey);
    const lostTs = intent
      ? await findLostPost(deps.slack, channel, intent.firstAttemptAt, metadata)
      : undefined;
    if (lostTs)
      existing = await saveMessage(deps.prisma, { incidentId, channelId: channel, ts: lostTs, type });
  }
  if (existing) {
    await clearCreateIntent(deps.prisma, intentKey);
    await slackCall('chat.update', () =>
      deps.slack.chat.update({
        channel: existing.channelId,
        ts: existing.ts,
        text: message.text,
        blocks: message.blocks as never,
      }),
    );
    return { channel: existing.channelId, ts: existing.ts, posted: false };
  }
  await recordCreateAttempt(deps.prisma, intentKey);
  const result = await slackCall('chat.postMessage', () =>
    deps.slack.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks as never,
      unfurl_links: false,
      metadata: metadata as never,
    }),
  );
  if (!result.ts || !result.channel)
    throw new AppError('SLACK_API_ERROR', 'chat.postMessage returned no ts', { retryable: true });
  await saveMessage(deps.prisma, { incidentId, channelId: result.channel, ts: result.ts, type });
  await clearCreateIntent(deps.prisma, intentKey);
  return { channel: result.channel, ts: result.ts, posted: true };
}

/** The announcement in the incident channel, pinned. */
export async function postPinnedAnnouncement(
  deps: AppDeps,
  card: IncidentCard,
  channelId: string,
): Promise<void> {
  const posted = await postOrUpdate(
    deps,
    card.id,
    MessageTypes.announcement,
    channelId,
    incidentAnnouncement(card),
  );
  await slackCallTolerating('pins.add', ['already_pinned'], () =>
    deps.slack.pins.add({ channel: posted.channel, timestamp: posted.ts }),
  );
}

/** P1–P3 in production and not private: tell the configured incidents channel. */
export async function announceInIncidentsChannel(deps: AppDeps, card: IncidentCard): Promise<void> {
  const target = deps.config.mapping.slack.incidentsChannelId;
  const incident = {
    priority: card.priority.value,
    environments: card.environments,
    isPrivate: card.category.isPrivate,
  };
  if (!target || !belongsInIncidentsChannel(incident, deps.config.mapping.catalog.productionEnvironments))
    return;
  await postOrUpdate(
    deps,
    card.id,
    MessageTypes.incidentsChannelAnnouncement,
    target,
    incidentsChannelNotice(card),
  );
}

/**
 * Channel bookmark, added once (remembered by its bookmark id). Before adding, the channel's own
 * bookmarks are checked: an add whose answer was lost left its bookmark there, and is adopted.
 * `replaces` names the bookmarks this one supersedes (another link under the same kind of
 * title, e.g. a post-mortem that was deleted in Jira and made again): they are removed.
 */
export async function bookmarkOnce(
  deps: AppDeps,
  incidentId: number,
  type: MessageType,
  channelId: string,
  bookmark: { title: string; link: string; emoji?: string; replaces?: (title: string) => boolean },
): Promise<void> {
  if (await findMessage(deps.prisma, incidentId, type)) return;
  const listed = await slackCall('bookmarks.list', () =>
    deps.slack.bookmarks.list({ channel_id: channelId }),
  );
  const already = listed.bookmarks?.find((existing) => existing.link === bookmark.link && existing.id);
  if (already?.id) {
    await saveMessage(deps.prisma, { incidentId, channelId, ts: already.id, type });
    return;
  }
  for (const stale of listed.bookmarks ?? []) {
    if (!stale.id || !bookmark.replaces?.(stale.title ?? '')) continue;
    await slackCallTolerating('bookmarks.remove', ['not_found', 'bookmark_not_found'], () =>
      deps.slack.bookmarks.remove({ channel_id: channelId, bookmark_id: stale.id! }),
    );
  }
  const result = await slackCall('bookmarks.add', () =>
    deps.slack.bookmarks.add({
      channel_id: channelId,
      title: bookmark.title,
      type: 'link',
      link: bookmark.link,
      ...(bookmark.emoji ? { emoji: bookmark.emoji } : {}),
    }),
  );
  const id = (result as { bookmark?: { id?: string } }).bookmark?.id ?? `${type}:${incidentId}`;
  await saveMessage(deps.prisma, { incidentId, channelId, ts: id, type });
}
