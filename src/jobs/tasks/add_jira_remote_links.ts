import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { loadIncidentCard } from '../../db/repositories/incidentCard.js';
import { AppError } from '../../errors.js';
import { slackCall } from '../../slack/slackErrors.js';
import { defineTask } from '../defineTask.js';

/**
 * From the ticket back to us: "Incident #id" → the incident page (when configured) and
 * "Slack conversation #name" → the channel. Remote links are keyed by globalId, so a rerun
 * updates instead of duplicating.
 */
export default defineTask<AppDeps, z.ZodType<{ incidentId: number }>>({
  id: 'add_jira_remote_links',
  payload: z.object({ incidentId: z.number().int().positive() }),
  async run({ incidentId }, { deps }) {
    const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
    if (!card?.jira) return;
    if (!deps.jira) throw new AppError('JIRA_NOT_CONFIGURED', 'Jira is not configured', { retryable: true });
    if (card.incidentUrl) {
      await deps.jira.upsertRemoteLink(card.jira.key, {
        globalId: `incident-bot:incident:${incidentId}`,
        url: card.incidentUrl,
        title: `Incident #${incidentId}`,
        summary: card.title,
      });
    }
    if (card.channel) {
      const channel = card.channel;
      const permalink = await slackCall('conversations.info', async () => {
        const info = await deps.slack.conversations.info({ channel: channel.id });
        const team = (info.channel as { context_team_id?: string } | undefined)?.context_team_id;
        return team
          ? `https://app.slack.com/client/${team}/${channel.id}`
          : `https://slack.com/app_redirect?channel=${channel.id}`;
      });
      await deps.jira.upsertRemoteLink(card.jira.key, {
        globalId: `incident-bot:slack-channel:${channel.id}`,
        url: permalink,
        title: `Slack conversation #${channel.name}`,
      });
    }
  },
});
