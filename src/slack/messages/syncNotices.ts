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

/** Jira did not answer a sync: it is retried. */
export const syncDelayed = (reason: string) =>
  `:hourglass_flowing_sand: Jira did not answer (${mrkdwn(reason)}); the ticket will be updated automatically once it does.`;

/** Jira refused the sync for good (credentials, permissions): someone has to act. */
export const syncFailed = (reason: string) =>
  `:x: The Jira ticket could not be kept in sync: ${mrkdwn(reason)} Fix it (\`/incident doctor\` helps); the next change or reconcile tries again.`;

/** The ticket is gone; the incident is not. */
export function jiraTicketDeleted(key: string): string {
  return `:wastebasket: Jira ticket *${mrkdwn(key)}* was deleted in Jira. The incident keeps running here. To get a new ticket, run \`/incident update\` and save.`;
}

/** The ticket answers 404 and so does its project: most likely the bot lost its permissions. */
export function jiraTicketUnreadable(key: string, projectKey: string): string {
  return `:warning: The bot can no longer read Jira ticket *${mrkdwn(key)}* nor project ${mrkdwn(projectKey)} (Jira answers "not found"): the sync is paused. Check the bot account's permissions (\`/incident doctor\`); it resumes by itself once it can read them.`;
}

/** Room in a section block, less a margin for the heading's link. */
const SECTION_LIMIT = 2900;

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
  const quote = (body: string) =>
    body
      .split('\n')
      .map((line) => `> ${mrkdwn(line)}`)
      .join('\n');
  const raw = input.kind === 'deleted' ? '' : input.body.trim();
  // A section holds 3,000 characters of FINAL text: escaping and quoting grow it, so the body
  // is cut (whole characters) until what Slack receives fits.
  let keep = raw.length;
  let text = raw ? `${heading}\n${quote(raw)}` : heading;
  while (text.length > SECTION_LIMIT && keep > 0) {
    keep = Math.floor(keep * 0.8);
    text = `${heading}\n${quote(truncateText(raw, Math.max(1, keep)))}`;
  }
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
