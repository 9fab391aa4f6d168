import { stripUnsafe, truncateText } from '../domain/userText.js';

/**
 * The two ways user text reaches Slack. Every presenter passes user text (titles, summaries,
 * names, messages, even text from Jira) through one of these, in blocks AND in the top-level
 * `text` (notifications and screen readers parse mrkdwn too), never at the call site.
 */

/**
 * For mrkdwn (section text, context, top-level `text`): `&`, `<`, `>` escaped so `<!channel>`,
 * `<@U…>` and `<https://x|click>` show as typed instead of pinging or linking; unsafe
 * characters dropped.
 */
export function mrkdwn(text: string): string {
  return stripUnsafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For plain_text objects (headers, options, buttons): shown literally; cut to Slack's limit. */
export function plainText(text: string, max?: number): string {
  const safe = stripUnsafe(text);
  return max === undefined ? safe : truncateText(safe, max);
}
