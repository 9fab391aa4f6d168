import {
  clearCreateIntent,
  findCreateIntent,
  recordCreateAttempt,
} from '../../db/repositories/createIntents.js';
import { findMessage, saveMessage, type MessageType } from '../../db/repositories/slackMessages.js';
import type { AppDeps } from '../../deps.js';
import { slackCall } from '../../slack/slackErrors.js';
import { findLostPost, messageMetadata } from './lostPosts.js';

/**
 * Post a message that must appear once (a change said in the channel, a confirmation DM): a
 * retry of the job that already posted it finds its record and posts nothing; a post whose
 * answer was lost is found in the channel by its metadata (the same unknown-outcome rule as
 * typed messages, see announcements.ts).
 */
export async function postOnce(
  deps: AppDeps,
  incidentId: number,
  marker: string,
  channel: string,
  message: { text: string; blocks?: unknown[] },
): Promise<void> {
  const type = marker as MessageType;
  if (await findMessage(deps.prisma, incidentId, type)) return;
  await postSurvivingLostAnswer(deps, { incidentId, marker, channel, message, type });
}

/**
 * Post and record a message so that a lost answer (or a crash before the record) never posts it
 * twice: the attempt is recorded first; a retry that finds it looks in the channel for the post
 * by its metadata (`marker`, unique to this message) and records that one instead. Whether the
 * message is still due is the caller's business. It is recorded as `type` (several messages may
 * share one, e.g. reminders), at `createdAt` if given.
 */
export async function postSurvivingLostAnswer(
  deps: AppDeps,
  post: {
    incidentId: number;
    marker: string;
    channel: string;
    message: { text: string; blocks?: unknown[] };
    type: MessageType;
    createdAt?: Date;
  },
): Promise<void> {
  const { incidentId, marker, channel, message } = post;
  const record = (channelId: string, ts: string) =>
    saveMessage(deps.prisma, {
      incidentId,
      channelId,
      ts,
      type: post.type,
      ...(post.createdAt ? { createdAt: post.createdAt } : {}),
    });
  const intentKey = `slack-message:${incidentId}:${marker}`;
  const metadata = messageMetadata(deps.installation.markerId, incidentId, marker);
  const intent = await findCreateIntent(deps.prisma, intentKey);
  const lostTs = intent
    ? await findLostPost(deps.slack, channel, intent.firstAttemptAt, metadata)
    : undefined;
  if (lostTs) {
    await record(channel, lostTs);
    await clearCreateIntent(deps.prisma, intentKey);
    return;
  }
  await recordCreateAttempt(deps.prisma, intentKey);
  const posted = await slackCall('chat.postMessage', () =>
    deps.slack.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks as never } : {}),
      unfurl_links: false,
      metadata: metadata as never,
    }),
  );
  if (posted.ts && posted.channel) await record(posted.channel, posted.ts);
  await clearCreateIntent(deps.prisma, intentKey);
}
