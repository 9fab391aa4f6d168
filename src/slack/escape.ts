import { graphemes, stripUnsafe, truncateText } from '../domain/userText.js';

/**
 * The two ways user text reaches Slack. Every presenter passes user text (titles, summaries,
 * names, messages, even text from Jira) through one of these, in blocks AND in the top-level
 * `text` (notifications and screen readers parse mrkdwn too), never at the call site.
 */

/** Most characters a section's mrkdwn text may hold (Slack refuses the whole message above it). */
export const SECTION_TEXT_MAX = 3000;

const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * For mrkdwn (section text, context, top-level `text`): `&`, `<`, `>` escaped so `<!channel>`,
 * `<@U…>` and `<https://x|click>` show as typed instead of pinging or linking; unsafe
 * characters dropped. With `max`, the ESCAPED text is cut to at most that many characters
 * (whole characters, never half an entity): escaping can make text five times longer, so a
 * limit applied before it does not keep a section under Slack's.
 */
export function mrkdwn(text: string, max?: number): string {
  const escaped = escapeMrkdwn(stripUnsafe(text));
  if (max === undefined || escaped.length <= max) return escaped;
  const ellipsis = '…';
  let out = '';
  for (const segment of graphemes(stripUnsafe(text))) {
    const piece = escapeMrkdwn(segment);
    if (out.length + piece.length > max - ellipsis.length) break;
    out += piece;
  }
  return `${out}${ellipsis}`;
}

/** For plain_text objects (headers, options, buttons): shown literally; cut to Slack's limit. */
export function plainText(text: string, max?: number): string {
  const safe = stripUnsafe(text);
  return max === undefined ? safe : truncateText(safe, max);
}
