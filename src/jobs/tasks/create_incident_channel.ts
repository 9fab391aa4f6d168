import { z } from 'zod';
import { loadIncidentCard } from '../../db/repositories/incidentCard.js';
import { MessageTypes } from '../../db/repositories/slackMessages.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../../errors.js';
import {
  announceInIncidentsChannel,
  bookmarkOnce,
  postPinnedAnnouncement,
} from '../../slack/channel/announcements.js';
import { ensureIncidentChannel } from '../../slack/channel/createChannel.js';
import { inviteUsers } from '../../slack/channel/inviteUsers.js';
import { incidentTopic } from '../../slack/messages/incidentAnnouncement.js';
import { reportFailureToReporter } from '../../slack/reportFailure.js';
import { slackCall } from '../../slack/slackErrors.js';
import { defineTask } from '../defineTask.js';
import { enqueueLinkJobs } from '../linkJobs.js';

/**
 * P1–P3: create the channel → topic → invite the reporter → post and pin the announcement →
 * tell the incidents channel → invite responders → bookmark the incident page. Every step is
 * safe to repeat, so a retry after a partial run finishes the job without duplicates.
 */
export default defineTask<AppDeps, z.ZodType<{ incidentId: number }>>({
  id: 'create_incident_channel',
  payload: z.object({ incidentId: z.number().int().positive() }),
  async run({ incidentId }, { deps, logger }) {
    const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
    if (!card) throw new AppError('INCIDENT_NOT_FOUND', `incident #${incidentId} does not exist`);

    const channel = await ensureIncidentChannel(deps.prisma, deps.slack, card);
    const withChannel = { ...card, channel: { id: channel.id, name: channel.name } };
    await slackCall('conversations.setTopic', () =>
      deps.slack.conversations.setTopic({ channel: channel.id, topic: incidentTopic(withChannel) }),
    );
    if (card.reporterSlackId) await inviteUsers(deps.slack, channel.id, [card.reporterSlackId], logger);
    await postPinnedAnnouncement(deps, withChannel, channel.id);
    await announceInIncidentsChannel(deps, withChannel);

    const { responders, respondersByCategory } = deps.config.mapping.slack;
    const others = [...responders, ...(respondersByCategory[card.category.name] ?? [])].filter(
      (user) => user !== card.reporterSlackId,
    );
    await inviteUsers(deps.slack, channel.id, others, logger);
    if (card.incidentUrl) {
      await bookmarkOnce(deps, incidentId, MessageTypes.incidentPageBookmark, channel.id, {
        title: 'Incident Page',
        link: card.incidentUrl,
      });
    }
    logger.info({ incidentId, channel: channel.name, created: channel.created }, 'incident channel ready');
    // If the ticket already exists, link it both ways now that the channel does too.
    await enqueueLinkJobs(deps.prisma, incidentId);
  },
  async onPermanentFailure({ incidentId }, error, { deps }) {
    await reportFailureToReporter(deps, incidentId, 'Creating the incident channel', error);
  },
});
