import type { KnownBlock, View } from '@slack/types';
import type { openIncidentsVisibleTo } from '../../db/repositories/incidents.js';
import { label } from '../../domain/statusMachine.js';
import { mrkdwn } from '../escape.js';
import { formatDuration } from './statusRecap.js';

type HomeIncident = Awaited<ReturnType<typeof openIncidentsVisibleTo>>[number];

/** The App Home: the open incidents this person may see, with where to go for each. Pure. */
export function appHomeView(incidents: readonly HomeIncident[], now: Date, command: string): View {
  const header: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Open incidents' } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Open one with \`${command} open\`. Private incidents show to their members only.`,
        },
      ],
    },
  ];
  if (incidents.length === 0) {
    return {
      type: 'home',
      blocks: [...header, { type: 'section', text: { type: 'mrkdwn', text: ':sunny: No open incident.' } }],
    };
  }
  const blocks = incidents.flatMap((incident): KnownBlock[] => {
    const commander = incident.roles[0]?.user.slackUserId;
    const where = [
      incident.slackChannel ? `<#${incident.slackChannel.channelId}>` : '',
      incident.jiraTicket ? `<${incident.jiraTicket.url}|${incident.jiraTicket.key}>` : '',
    ].filter(Boolean);
    return [
      { type: 'divider' },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            `*${incident.priority.emoji} ${incident.priority.name} #${incident.id} ${mrkdwn(incident.title)}*\n` +
            `${label(incident.status)} · open for ${formatDuration(now.getTime() - incident.createdAt.getTime())}` +
            ` · commander ${commander ? `<@${commander}>` : '_none_'}` +
            (where.length ? `\n${where.join('  ·  ')}` : ''),
        },
      },
    ];
  });
  return { type: 'home', blocks: [...header, ...blocks].slice(0, 100) };
}
