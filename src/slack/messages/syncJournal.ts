import { truncateText } from '../../domain/userText.js';
import { mrkdwn } from '../escape.js';
import { slackDate } from './incidentUpdate.js';

export interface JournalLine {
  createdAt: Date;
  direction: 'OUTBOUND' | 'INBOUND';
  field: string;
  fromValue: string | null;
  toValue: string | null;
  outcome: string;
  reason: string | null;
  actor: string | null;
  deliveryId: string | null;
}

const outcomeIcons: Record<string, string> = {
  applied: ':white_check_mark:',
  skipped: ':heavy_minus_sign:',
  refused: ':no_entry_sign:',
  failed: ':x:',
};

const shown = (value: string | null) =>
  value === null || value === '' ? '—' : `“${mrkdwn(truncateText(value, 60))}”`;

/** `/incident sync`: the ticket and the newest journal entries, newest first. Pure. */
export function syncJournalMessage(input: {
  incidentId: number;
  ticket: { key: string; url: string; deletedAt: Date | null } | null;
  entries: readonly JournalLine[];
}): { text: string; blocks: unknown[] } {
  const ticket = input.ticket
    ? `<${input.ticket.url}|${mrkdwn(input.ticket.key)}>${input.ticket.deletedAt ? ' (deleted in Jira)' : ''}`
    : 'no Jira ticket yet';
  const heading = `*Jira sync of incident #${input.incidentId}* — ${ticket}`;
  const lines = input.entries.map((entry) => {
    const arrow = entry.direction === 'OUTBOUND' ? 'Slack → Jira' : 'Jira → Slack';
    const who = entry.actor ? ` by ${mrkdwn(entry.actor)}` : '';
    const why = entry.reason ? ` — ${mrkdwn(entry.reason)}` : '';
    return `${outcomeIcons[entry.outcome] ?? '•'} ${slackDate(entry.createdAt.toISOString())} ${arrow} *${entry.field}* ${shown(entry.fromValue)} → ${shown(entry.toValue)}: ${entry.outcome}${who}${why}`;
  });
  const body = lines.length > 0 ? lines.join('\n') : '_Nothing synced yet._';
  const text = `${heading}\n${truncateText(body, 2800)}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
