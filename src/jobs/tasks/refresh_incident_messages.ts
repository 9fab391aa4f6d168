import { loadIncidentCard } from '../../db/repositories/incidentCard.js';
import type { AppDeps } from '../../deps.js';
import { incidentTopic } from '../../slack/messages/incidentAnnouncement.js';
import { slackCall } from '../../slack/slackErrors.js';
import { defineTask } from '../defineTask.js';
import { rerenderSteps } from '../effects/rerender.js';
import { incidentPayload } from '../payloads.js';
import { runIndependentSteps } from '../steps.js';
import { TaskIds } from '../taskIds.js';

/**
 * After any change: the pinned announcement, the P4–P5 notices and the channel topic show the
 * incident as it is NOW. Keyed per incident, so ten quick edits render once, with the last state.
 */
export default defineTask<AppDeps, typeof incidentPayload>({
  id: TaskIds.refreshIncidentMessages,
  payload: incidentPayload,
  async run({ incidentId }, { deps, logger }) {
    const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
    if (!card) return;
    const channel = card.channel;
    await runIndependentSteps(
      {
        ...rerenderSteps(deps, card),
        topic: async () => {
          if (!channel) return;
          await slackCall('conversations.setTopic', () =>
            deps.slack.conversations.setTopic({ channel: channel.id, topic: incidentTopic(card) }),
          );
        },
      },
      logger,
      { concurrently: true },
    );
  },
});
