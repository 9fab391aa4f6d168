import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { loadIncidentCard } from '../../db/repositories/incidentCard.js';
import { MessageTypes, findMessage } from '../../db/repositories/slackMessages.js';
import { bookmarkOnce, postOrUpdate } from '../../slack/channel/announcements.js';
import { noticeJiraCreated } from '../../slack/jiraNotices.js';
import { incidentAnnouncement, incidentNotice } from '../../slack/messages/incidentAnnouncement.js';
import { reportFailureToReporter } from '../../slack/reportFailure.js';
import { defineTask } from '../defineTask.js';
import { runIndependentSteps } from '../steps.js';

/**
 * From Slack to the ticket: bookmark "Jira ticket" and the pinned announcement edited in place
 * (P1–P3); the reporter's DM and the alert message re-rendered with the key (P4–P5); the
 * "Jira is unreachable" notice turned into "Jira ticket created".
 */
export default defineTask<AppDeps, z.ZodType<{ incidentId: number }>>({
  id: 'link_jira_in_slack',
  payload: z.object({ incidentId: z.number().int().positive() }),
  async run({ incidentId }, { deps, logger }) {
    const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
    if (!card?.jira) return;
    const ticket = card.jira;
    const channel = card.channel;
    // Only messages already posted are edited; the jobs that post them render the key themselves.
    const rerender = [
      [MessageTypes.announcement, incidentAnnouncement(card)],
      [MessageTypes.reporterNotice, incidentNotice(card, ':memo: Your incident was recorded:')],
      [MessageTypes.alertNotice, incidentNotice(card, 'New Incident:')],
      [MessageTypes.incidentsChannelAnnouncement, incidentNotice(card, ':rotating_light: New incident')],
    ] as const;
    await runIndependentSteps(
      {
        'Jira bookmark': async () => {
          if (channel) {
            await bookmarkOnce(deps, incidentId, MessageTypes.jiraBookmark, channel.id, {
              title: 'Jira ticket',
              link: ticket.url,
            });
          }
        },
        ...Object.fromEntries(
          rerender.map(([type, message]) => [
            `update ${type}`,
            async () => {
              const existing = await findMessage(deps.prisma, incidentId, type);
              if (existing) await postOrUpdate(deps, incidentId, type, existing.channelId, message);
            },
          ]),
        ),
        'Jira notice': () => noticeJiraCreated(deps, incidentId, ticket),
      },
      logger,
    );
  },
  async onPermanentFailure({ incidentId }, error, { deps }) {
    await reportFailureToReporter(deps, incidentId, 'Linking the Jira ticket in Slack', error);
  },
});
