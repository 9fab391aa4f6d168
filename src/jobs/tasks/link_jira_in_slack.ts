import type { AppDeps } from '../../deps.js';
import { loadIncidentCard } from '../../db/repositories/incidentCard.js';
import { MessageTypes } from '../../db/repositories/slackMessages.js';
import { bookmarkOnce } from '../effects/announcements.js';
import { noticeJiraCreated } from '../effects/jiraNotices.js';
import { rerenderSteps } from '../effects/rerender.js';
import { reportFailureToReporter } from '../effects/reportFailure.js';
import { defineTask } from '../defineTask.js';
import { incidentPayload } from '../payloads.js';
import { TaskIds } from '../taskIds.js';
import { runIndependentSteps } from '../steps.js';

/**
 * From Slack to the ticket: bookmark "Jira ticket" and the pinned announcement edited in place
 * (P1–P3); the reporter's DM and the alert message re-rendered with the key (P4–P5); the
 * "Jira is unreachable" notice turned into "Jira ticket created".
 */
export default defineTask<AppDeps, typeof incidentPayload>({
  id: TaskIds.linkJiraInSlack,
  payload: incidentPayload,
  async run({ incidentId }, { deps, logger }) {
    const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
    if (!card?.jira) return;
    const ticket = card.jira;
    const channel = card.channel;
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
        ...rerenderSteps(deps, card),
        'Jira notice': () => noticeJiraCreated(deps, incidentId, ticket),
      },
      logger,
      { concurrently: true },
    );
  },
  async onPermanentFailure({ incidentId }, error, { deps }) {
    await reportFailureToReporter(deps, incidentId, 'Linking the Jira ticket in Slack', error);
  },
});
