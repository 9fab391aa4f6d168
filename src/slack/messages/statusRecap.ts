import type { KnownBlock } from '@slack/types';
import type { incidentByChannel } from '../../db/repositories/incidents.js';
import { mrkdwn, plainText } from '../escape.js';
import { statusLabel } from './incidentAnnouncement.js';

type RecapIncident = NonNullable<Awaited<ReturnType<typeof incidentByChannel>>>;

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
    ],
  };
}
