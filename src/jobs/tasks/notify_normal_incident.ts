import { z } from 'zod';
import { loadIncidentCard, type IncidentCard } from '../../db/repositories/incidentCard.js';
import { MessageTypes } from '../../db/repositories/slackMessages.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { postOrUpdate } from '../../slack/channel/announcements.js';
import { reportFailureToReporter } from '../../slack/reportFailure.js';
import { incidentNotice } from '../../slack/messages/incidentAnnouncement.js';
import { mayAnnounceInSharedChannels } from '../../domain/visibility.js';
import { defineTask } from '../defineTask.js';
import { enqueueLinkJobs } from '../linkJobs.js';

/** Business impact levels that send a P4–P5 to the "high" alert channel. */
const highBusinessImpact = new Set(['HT', 'HI']);

export function alertChannelFor(
  card: IncidentCard,
  slack: AppDeps['config']['mapping']['slack'],
): string | null {
  const high = card.businessImpact !== null && highBusinessImpact.has(card.businessImpact);
  return (high ? slack.alertChannelHighId : null) ?? slack.alertChannelId;
}

/**
 * P4–P5 get no channel: the reporter gets a DM with the summary and the alert channel a
 * "New Incident" line. Both are typed messages, edited in place later (e.g. with the ticket key).
 */
export default defineTask<AppDeps, z.ZodType<{ incidentId: number }>>({
  id: 'notify_normal_incident',
  payload: z.object({ incidentId: z.number().int().positive() }),
  async run({ incidentId }, { deps }) {
    const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
    if (!card) throw new AppError('INCIDENT_NOT_FOUND', `incident #${incidentId} does not exist`);
    if (card.reporterSlackId) {
      await postOrUpdate(
        deps,
        incidentId,
        MessageTypes.reporterNotice,
        card.reporterSlackId,
        incidentNotice(card, ':memo: Your incident was recorded:'),
      );
    }
    // A private incident is told to its reporter only: never title and summary in a shared channel.
    const alertChannel = mayAnnounceInSharedChannels(card.category)
      ? alertChannelFor(card, deps.config.mapping.slack)
      : null;
    if (alertChannel) {
      await postOrUpdate(
        deps,
        incidentId,
        MessageTypes.alertNotice,
        alertChannel,
        incidentNotice(card, 'New Incident:'),
      );
    }
    await enqueueLinkJobs(deps.prisma, incidentId);
  },
  async onPermanentFailure({ incidentId }, error, { deps }) {
    await reportFailureToReporter(deps, incidentId, 'Announcing the incident', error);
  },
});
