import { truncateText } from '../../domain/userText.js';
import { mrkdwn } from '../escape.js';

/** What the sync says in the incident's channel (or the reporter's DM). Pure; user text escaped here. */

const ticketLink = (ticket: { key: string; url: string }) => `<${ticket.url}|${mrkdwn(ticket.key)}>`;

const fieldLabels: Record<string, string> = {
  status: 'status',
  priority: 'priority',
  title: 'title',
  description: 'description',
  commander: 'assignee (incident commander)',
};
const fieldLabel = (field: string) => fieldLabels[field] ?? field;

/** The reference's words when Jira closes a ticket the incident may not close yet. */
export function closedInJiraNotClosed(
  ticket: { key: string; url: string },
  reasons: readonly string[],
): string {
  return [
    `:warning: Jira ticket *${ticketLink(ticket)}* was closed, but the incident was *not* automatically closed.`,
    ...reasons.map((reason) => `• ${mrkdwn(reason)}`),
  ].join('\n');
}

/** A change made in Jira that the incident's rules refuse. */
export function jiraChangeRefused(
  ticket: { key: string; url: string },
  field: string,
  reason: string,
): string {
  return `:warning: The ${fieldLabel(field)} of Jira ticket *${ticketLink(ticket)}* changed, but the incident was not updated: ${mrkdwn(reason)}`;
}

/** An incident change that could not be written to the ticket. */
export function jiraPushFailed(ticket: { key: string; url: string }, field: string, reason: string): string {
  return `:x: Could not update the ${fieldLabel(field)} of Jira ticket *${ticketLink(ticket)}*: ${mrkdwn(reason)}`;
}

/** The ticket is gone; the incident is not. */
export function jiraTicketDeleted(key: string): string {
  return `:wastebasket: Jira ticket *${mrkdwn(key)}* was deleted in Jira. The incident keeps running here. To get a new ticket, run \`/incident update\` and save.`;
}

const commentHeadings = {
  created: ':green_book: New comment',
  updated: ':blue_book: Updated comment',
  deleted: ':closed_book: Deleted comment',
} as const;

/** A Jira comment, relayed. The body is Jira wiki text, shown as text (never as Slack markup). */
export function jiraComment(input: {
  kind: keyof typeof commentHeadings;
  ticket: { key: string; url: string };
  author: string;
  body: string;
}): { text: string; blocks: unknown[] } {
  const heading = `${commentHeadings[input.kind]} on *${ticketLink(input.ticket)}* by ${mrkdwn(input.author)}`;
  const body =
    input.kind === 'deleted' || !input.body.trim()
      ? ''
      : `\n${truncateText(input.body.trim(), 2500)
          .split('\n')
          .map((line) => `> ${mrkdwn(line)}`)
          .join('\n')}`;
  const text = `${heading}${body}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
