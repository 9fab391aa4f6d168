import type { KnownBlock } from '@slack/types';
import { SECTION_TEXT_MAX, mrkdwn } from '../escape.js';

/** One changed field of an update, as stored (from/to already as people read them). */
export interface UpdateLine {
  field: string | null;
  fromValue: string | null;
  toValue: string | null;
}

const fieldNames: Record<string, string> = {
  status: 'Status',
  priority: 'Priority',
  title: 'Title',
  description: 'Summary',
  category: 'Category',
  environments: 'Environments',
  commander: 'Incident Commander',
  communicationLead: 'Communication Lead',
};
/** Fields whose values are Slack mentions the bot wrote itself (`<@U…>`), not user text. */
const mentionFields = new Set(['commander', 'communicationLead']);

/** A date as Slack shows it in the reader's own time zone. */
export const slackDate = (iso: string) =>
  `<!date^${Math.floor(new Date(iso).getTime() / 1000)}^{date_short_pretty} {time}|${iso}>`;

const value = (field: string, text: string | null, max: number) => {
  if (text === null || text === '—') return '—';
  if (field.startsWith('keyEvent:')) return slackDate(text);
  return mentionFields.has(field) ? text : mrkdwn(text, max);
};

const fieldName = (field: string) =>
  field.startsWith('keyEvent:')
    ? `${field.charAt(9)}${field.slice(10).toLowerCase()} at`
    : (fieldNames[field] ?? field);

/**
 * "Status: Investigating → Mitigating — message — by @who", one line per changed field, posted
 * in the incident's channel. Pure; user text escaped here.
 */
export function incidentUpdateMessage(update: {
  lines: readonly UpdateLine[];
  message: string | null;
  authorSlackId: string | null;
  origin: string;
  /** The Jira user who made a change synced from Jira. */
  externalActor?: string | null;
}): { text: string; blocks: KnownBlock[] } {
  const who = update.authorSlackId
    ? `by <@${update.authorSlackId}>`
    : update.origin === 'JIRA'
      ? update.externalActor
        ? `from Jira by ${mrkdwn(update.externalActor, 200)}`
        : 'from Jira'
      : 'by the bot';
  // A section holds 3,000 characters of escaped text: values and message get a budget each,
  // halved until the whole section fits (a change of many long fields at once).
  for (let budget = SECTION_TEXT_MAX; ; budget = Math.floor(budget / 2)) {
    const changes = update.lines
      .filter((line): line is UpdateLine & { field: string } => Boolean(line.field))
      .map((line) =>
        line.field === 'description'
          ? `*${fieldNames[line.field]}* updated: ${mrkdwn(line.toValue ?? '', budget)}`
          : `*${fieldName(line.field)}:* ${value(line.field, line.fromValue, budget)} → ${value(line.field, line.toValue, budget)}`,
      );
    const message = update.message ? ` — ${mrkdwn(update.message, budget)}` : '';
    const headline = changes.length > 0 ? changes[0]! : '*Update*';
    const text = `${headline}${message} — ${who}`;
    const section = [text, ...changes.slice(1)].join('\n');
    if (section.length <= SECTION_TEXT_MAX || budget < 20) {
      return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: section } }] };
    }
  }
}

/** Said to the commander when a P1–P3 becomes P4–P5. */
export const deescalationNotice = (incidentId: number, priorityName: string) =>
  `:arrow_down: Incident #${incidentId} is now ${priorityName}. Its channel stays open, but it now follows the P4–P5 rules (no incidents-channel announcement, no update reminders).`;

/** The DM a new role holder gets. */
export function roleWelcome(input: {
  roleName: string;
  incidentId: number;
  title: string;
  channelId: string | null;
}) {
  const where = input.channelId ? ` Join <#${input.channelId}>.` : '';
  return `:wave: You are now *${mrkdwn(input.roleName)}* of incident #${input.incidentId}: ${mrkdwn(input.title)}.${where}`;
}
