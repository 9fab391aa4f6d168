import { findMessage, saveMessage, type MessageType } from '../../db/repositories/slackMessages.js';
import type { AppDeps } from '../../deps.js';
import { slackCall } from '../../slack/slackErrors.js';

/**
 * Post a message that must appear once (a change said in the channel, a confirmation DM): a
 * retry of the job that already posted it finds its record and posts nothing.
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
  const posted = await slackCall('chat.postMessage', () =>
    deps.slack.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks as never } : {}),
      unfurl_links: false,
    }),
  );
  if (posted.ts && posted.channel) {
    await saveMessage(deps.prisma, { incidentId, channelId: posted.channel, ts: posted.ts, type });
  }
}
