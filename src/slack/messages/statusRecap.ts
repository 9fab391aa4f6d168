import type { KnownBlock } from '@slack/types';
import type { incidentByChannel } from '../../db/repositories/incidents.js';
import { incidentMetrics, metricNames } from '../../domain/keyEvents.js';
import { mrkdwn, plainText } from '../escape.js';
import { statusLabel } from './incidentAnnouncement.js';

type RecapIncident = NonNullable<Awaited<ReturnType<typeof incidentByChannel>>>;

/** "1 h 5 min", "12 min", "40 s". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 0) return `${Math.round(ms / 1000)} s`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days ? `${days} d` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : '']
    .filter(Boolean)
    .join(' ');
}

function metricsLine(events: readonly { type: string; occurredAt: Date }[]): string {
  const metrics = incidentMetrics(Object.fromEntries(events.map((event) => [event.type, event.occurredAt])));
  const shown = metricNames.filter((name) => metrics[name] !== undefined);
  return shown.length
    ? shown.map((name) => `${name} ${formatDuration(metrics[name]!)}`).join('  ·  ')
    : '_Not enough key events yet_';
}

/** Read-only recap: status, priority, roles, key events, Jira link. Pure presenter. */
export function statusRecap(incident: RecapIncident): { text: string; blocks: KnownBlock[] } {
  const roles = incident.roles.length
    ? incident.roles
        .map((role) => `${role.roleType.emoji} ${role.roleType.name}: <@${role.user.slackUserId}>`)
        .join('\n')
    : '_No roles assigned_';
  const keyEvents = incident.keyEvents.length
    ? incident.keyEvents
        .map(
          (event) =>
            `• ${statusLabel(event.type)}: <!date^${Math.floor(event.occurredAt.getTime() / 1000)}^{date_short_pretty} {time}|${event.occurredAt.toISOString()}>`,
        )
        .join('\n')
    : '_None yet_';
  const jira = incident.jiraTicket
    ? `<${incident.jiraTicket.url}|${incident.jiraTicket.key}>`
    : '_not created yet_';
  const header = `#${incident.id} ${incident.title}`;
  return {
    text: `${mrkdwn(header)} — ${statusLabel(incident.status)}, ${incident.priority.name}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: plainText(header, 150) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Status*\n${statusLabel(incident.status)}` },
          { type: 'mrkdwn', text: `*Priority*\n${incident.priority.emoji} ${incident.priority.name}` },
          { type: 'mrkdwn', text: `*Category*\n${mrkdwn(incident.category.name)}` },
          { type: 'mrkdwn', text: `*Jira*\n${jira}` },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: `*Roles*\n${roles}` } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Key events*\n${keyEvents}` } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Metrics*\n${metricsLine(incident.keyEvents)}` } },
    ],
  };
}
