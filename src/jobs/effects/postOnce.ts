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
  const intentKey = `slack-message:${incidentId}:${marker}`;
  const metadata = messageMetadata(deps.installation.markerId, incidentId, marker);
  const intent = await findCreateIntent(deps.prisma, intentKey);
  const lostTs = intent
    ? await findLostPost(deps.slack, channel, intent.firstAttemptAt, metadata)
    : undefined;
  if (lostTs) {
    await saveMessage(deps.prisma, { incidentId, channelId: channel, ts: lostTs, type });
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
  if (posted.ts && posted.channel) {
    await saveMessage(deps.prisma, { incidentId, channelId: posted.channel, ts: posted.ts, type });
  }
  await clearCreateIntent(deps.prisma, intentKey);
}
