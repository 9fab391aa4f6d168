import { markChannelArchived, storedChannel } from '../../db/repositories/channels.js';
import { incidentContact } from '../../db/repositories/incidents.js';
import type { AppDeps } from '../../deps.js';
import { mrkdwn } from '../../slack/escape.js';
import { slackCallTolerating } from '../../slack/slackErrors.js';
import { postOnce } from '../effects/postOnce.js';
import { defineTask } from '../defineTask.js';
import { incidentClosedPayload } from '../payloads.js';
import { runIndependentSteps } from '../steps.js';
import { TaskIds } from '../taskIds.js';

/**
 * A closed incident: the closer gets a confirmation by DM, and the channel is archived (an
 * already archived or vanished channel is fine: the goal is reached).
 */
export default defineTask<AppDeps, typeof incidentClosedPayload>({
  id: TaskIds.archiveIncidentChannel,
  payload: incidentClosedPayload,
  async run({ incidentId, closedBy }, { deps, logger }) {
    const [contact, channel] = await Promise.all([
      incidentContact(deps.prisma, incidentId),
      storedChannel(deps.prisma, incidentId),
    ]);
    if (!contact) return;
    // Archive first, so the confirmation can say it is done; each step once, whatever retries.
    await runIndependentSteps(
      {
        'archive the channel': async () => {
          if (!channel || channel.archivedAt) return;
          await slackCallTolerating('conversations.archive', ['already_archived', 'channel_not_found'], () =>
            deps.slack.conversations.archive({ channel: channel.channelId }),
          );
          await markChannelArchived(deps.prisma, incidentId);
        },
        'confirmation DM': async () => {
          if (!closedBy) return;
          await postOnce(deps, incidentId, 'closure_confirmation', closedBy, {
            text: `:white_check_mark: You closed incident #${incidentId}: ${mrkdwn(contact.title)}.${channel ? ' Its channel is archived.' : ''}`,
          });
        },
      },
      logger,
    );
  },
});
