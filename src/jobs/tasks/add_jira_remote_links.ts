import type { AppDeps } from '../../deps.js';
import { loadIncidentCard } from '../../db/repositories/incidentCard.js';
import { AppError } from '../../errors.js';
import { slackCall } from '../../slack/slackErrors.js';
import { reportFailureToReporter } from '../effects/reportFailure.js';
import { defineTask } from '../defineTask.js';
import { incidentPayload } from '../payloads.js';
import { TaskIds } from '../taskIds.js';
import { runIndependentSteps } from '../steps.js';

/**
 * From the ticket back to us: "Incident #id" → the incident page (when configured) and
 * "Slack conversation #name" → the channel. Remote links are keyed by globalId, so a rerun
 * updates instead of duplicating.
 */
export default defineTask<AppDeps, typeof incidentPayload>({
  id: TaskIds.addJiraRemoteLinks,
  payload: incidentPayload,
  async run({ incidentId }, { deps, logger }) {
    const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
    if (!card?.jira) return;
    if (!deps.jira) throw new AppError('JIRA_NOT_CONFIGURED', 'Jira is not configured', { retryable: true });
    const jira = deps.jira;
    const ticketKey = card.jira.key;
    const channel = card.channel;
    await runIndependentSteps(
      {
        'incident page link': async () => {
          if (!card.incidentUrl) return;
          await jira.upsertRemoteLink(ticketKey, {
            globalId: `incident-bot:incident:${incidentId}`,
            url: card.incidentUrl,
            title: `Incident #${incidentId}`,
            summary: card.title,
          });
        },
        'Slack channel link': async () => {
          if (!channel) return;
          const permalink = await slackCall('conversations.info', async () => {
            const info = await deps.slack.conversations.info({ channel: channel.id });
            const team = (info.channel as { context_team_id?: string } | undefined)?.context_team_id;
            return team
              ? `https://app.slack.com/client/${team}/${channel.id}`
              : `https://slack.com/app_redirect?channel=${channel.id}`;
          });
          await jira.upsertRemoteLink(ticketKey, {
            globalId: `incident-bot:slack-channel:${channel.id}`,
            url: permalink,
            title: `Slack conversation #${channel.name}`,
          });
        },
      },
      logger,
      { concurrently: true },
    );
  },
  async onPermanentFailure({ incidentId }, error, { deps }) {
    await reportFailureToReporter(deps, incidentId, 'Linking the Jira ticket back to Slack', error);
  },
});
