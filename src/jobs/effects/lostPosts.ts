import type { WebClient } from '@slack/web-api';
import { asAppError } from '../../errors.js';
import { slackCall } from '../../slack/slackErrors.js';

/** What the bot puts in a typed message's metadata, so a lost post can be found again. */
export const MESSAGE_METADATA_EVENT = 'incident_bot_message';

export const messageMetadata = (installation: string, incidentId: number, type: string) => ({
  event_type: MESSAGE_METADATA_EVENT,
  event_payload: { installation, incidentId, type },
});

/** A channel the bot can read history of (not a DM addressed by user id). */
const readable = (channel: string) => /^[CG]/.test(channel);

/**
 * A post whose answer was lost may have landed: look in the channel's recent history for the
 * bot's message carrying this installation's metadata for this incident and type. Returns its ts.
 */
export async function findLostPost(
  slack: WebClient,
  channel: string,
  since: Date,
  metadata: ReturnType<typeof messageMetadata>,
): Promise<string | undefined> {
  if (!readable(channel)) return undefined;
  const read = () =>
    slackCall('conversations.history', () =>
      slack.conversations.history({
        channel,
        oldest: String(Math.floor(since.getTime() / 1000) - 60),
        include_all_metadata: true,
        limit: 200,
      }),
    );
  let history: Awaited<ReturnType<typeof read>>;
  try {
    history = await read();
  } catch (error) {
    if (asAppError(error).details.slackError !== 'not_in_channel') throw error;
    // A public channel the bot posts to without being in it (chat:write.public: the incidents or
    // alert channel) cannot be read until it joins (channels:join). Not looking would leave a
    // choice between posting twice and never posting.
    await slackCall('conversations.join', () => slack.conversations.join({ channel }));
    history = await read();
  }
  const wanted = metadata.event_payload;
  const found = history.messages?.find((message) => {
    const payload = (
      message as { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }
    ).metadata;
    return (
      payload?.event_type === MESSAGE_METADATA_EVENT &&
      payload.event_payload?.installation === wanted.installation &&
      payload.event_payload?.incidentId === wanted.incidentId &&
      payload.event_payload?.type === wanted.type
    );
  });
  return found?.ts;
}
