import { stripUnsafe, truncateText } from './userText.js';

/** The label a post-mortem issue carries: how a retried job finds the one Jira already made. */
export const postMortemMarker = (markerId: string, incidentId: number) =>
  `incident-bot-${markerId}-pm-${incidentId}`;

/** `#{channel} ({P}) {title}` as the reference names it; `#incident-{id}` without a channel. */
export function postMortemSummary(input: {
  incidentId: number;
  channelName: string | null;
  priorityName: string;
  title: string;
}): string {
  const channel = input.channelName ?? `incident-${input.incidentId}`;
  return truncateText(stripUnsafe(`#${channel} (${input.priorityName}) ${input.title.trim()}`), 255);
}

/**
 * The date `days` working days (Monday–Friday) after the day `from` falls on in `timeZone`, as
 * Jira's `YYYY-MM-DD`: an incident mitigated on Monday 00:30 in Paris counts from Monday.
 */
export function addBusinessDays(from: Date, days: number, timeZone = 'UTC'): string {
  const localDay = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(from);
  const date = new Date(`${localDay}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return date.toISOString().slice(0, 10);
}
