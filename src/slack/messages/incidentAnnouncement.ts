import type { KnownBlock } from '@slack/types';
import type { IncidentCard } from '../../db/repositories/incidentCard.js';
import { truncateTopic } from '../../domain/channelName.js';
import { label, type IncidentStatus } from '../../domain/statusMachine.js';
import { SECTION_TEXT_MAX, mrkdwn, plainText } from '../escape.js';

/** How a status reads ("Post-mortem"): the domain's one definition. */
export const statusLabel = (status: string) => label(status as IncidentStatus);

function links(card: IncidentCard): string[] {
  const out: string[] = [];
  if (card.jira) out.push(`:jira: <${card.jira.url}|Jira ticket ${card.jira.key}>`);
  if (card.postMortem)
    out.push(`:notebook_with_decorative_cover: <${card.postMortem.url}|Post-mortem ${card.postMortem.key}>`);
  if (card.incidentUrl) out.push(`:globe_with_meridians: <${card.incidentUrl}|Incident page>`);
  if (card.channel) out.push(`:slack: <#${card.channel.id}>`);
  return out;
}

const SUMMARY_LABEL = '*Summary*\n';

/**
 * The incident's announcement: pinned in its channel (P1–P3) and edited in place as the
 * incident changes (status, priority, Jira link…). Pure presenter.
 */
export function incidentAnnouncement(card: IncidentCard): { text: string; blocks: KnownBlock[] } {
  const { priority } = card;
  const headline = `${priority.emoji} ${priority.name} incident #${card.id}: `;
  const text = `${headline}${mrkdwn(card.title)}`;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: plainText(headline + card.title, 150), emoji: true },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Priority*\n${priority.emoji} ${priority.name} — ${priority.description}` },
        { type: 'mrkdwn', text: `*Status*\n${statusLabel(card.status)}` },
        {
          type: 'mrkdwn',
          text: `*Commander*\n${card.commanderSlackId ? `<@${card.commanderSlackId}>` : '_unassigned_'}`,
        },
        {
          type: 'mrkdwn',
          text: `*Category*\n${mrkdwn(card.category.group)} / ${mrkdwn(card.category.name)}`,
        },
        { type: 'mrkdwn', text: `*Environments*\n${mrkdwn(card.environments.join(', ')) || '—'}` },
        { type: 'mrkdwn', text: `*Platforms*\n${mrkdwn(card.platforms.join(', ')) || '—'}` },
      ],
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${SUMMARY_LABEL}${mrkdwn(card.description, SECTION_TEXT_MAX - SUMMARY_LABEL.length)}`,
      },
    },
  ];
  const linkList = links(card);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: linkList.length ? linkList.join('  •  ') : ':hourglass_flowing_sand: Jira ticket on its way',
      },
    ],
  });
  return { text, blocks };
}

/** `Incident - {emoji} {P} - {status} - {group} - {category} - <url|Status>`, ≤ 250 characters. */
export function incidentTopic(card: IncidentCard): string {
  const parts = [
    'Incident',
    `${card.priority.emoji} ${card.priority.name}`,
    statusLabel(card.status),
    mrkdwn(card.category.group),
    mrkdwn(card.category.name),
  ];
  if (card.incidentUrl) parts.push(`<${card.incidentUrl}|Status>`);
  return truncateTopic(parts.join(' - '));
}

/** The lead of each notice, in one place: posted first, re-rendered later with the ticket key. */
const noticeLeads = {
  reporter: ':memo: Your incident was recorded:',
  alert: 'New Incident:',
  incidentsChannel: ':rotating_light: New incident',
} as const;

/** The DM a P4–P5 reporter gets. */
export const reporterNotice = (card: IncidentCard) => incidentNotice(card, noticeLeads.reporter);
/** The line in the alert channel for a P4–P5. */
export const alertNotice = (card: IncidentCard) => incidentNotice(card, noticeLeads.alert);
/** The line in the incidents channel for a P1–P3 in production. */
export const incidentsChannelNotice = (card: IncidentCard) =>
  incidentNotice(card, noticeLeads.incidentsChannel);

/** One message for the incidents channel / alert channel / reporter DM. */
function incidentNotice(card: IncidentCard, lead: string): { text: string; blocks: KnownBlock[] } {
  const { priority } = card;
  const ticket = card.jira ? ` ${card.jira.key}` : '';
  const ticketLink = card.jira ? ` <${card.jira.url}|${card.jira.key}>` : '';
  const text = `${lead}${ticket} ${priority.emoji} ${priority.name} #${card.id}: ${mrkdwn(card.title)}`;
  const headline = `${lead}${ticketLink} ${priority.emoji} ${priority.name} #${card.id}: ${mrkdwn(card.title)}`;
  const where = card.channel ? `\nJoin <#${card.channel.id}> to help.` : '';
  // The summary gets what the section has left once the headline is in (escaping grows text).
  const lines = `*${headline}*${where}\n`;
  const context = [
    mrkdwn(`${card.category.group} / ${card.category.name}`),
    mrkdwn(card.environments.join(', ')),
    card.featureTeam ? `team ${mrkdwn(card.featureTeam)}` : '',
    card.reporterSlackId ? `reported by <@${card.reporterSlackId}>` : '',
  ].filter(Boolean);
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${lines}${mrkdwn(card.description, SECTION_TEXT_MAX - lines.length)}`,
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context.join('  •  ') }] },
    ],
  };
}

/** Said in the channel when people could not be invited, so someone adds them by hand. */
export function inviteFailuresNotice(failed: readonly { user: string; error: string }[]): {
  text: string;
  blocks: KnownBlock[];
} {
  const who = failed.map((failure) => `<@${failure.user}> (\`${mrkdwn(failure.error)}\`)`).join(', ');
  const text = `:warning: Could not invite ${who}. Please add them by hand.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
