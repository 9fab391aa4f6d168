/**
 * Rules for text people type (titles, summaries, messages), whatever surface shows it later.
 * Pure: Slack and Jira escaping build on these.
 */

/**
 * Characters no incident text needs and that cause harm: C0/C1 controls (PostgreSQL refuses
 * NUL outright), and the bidirectional overrides and isolates that make text read differently
 * from what it is ("Trojan Source"). Tab, line feed and carriage return stay.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** The first unsafe character as a readable code point (`U+0000`), or undefined. */
export function firstUnsafeCharacter(text: string): string | undefined {
  const match = new RegExp(UNSAFE.source).exec(text);
  return match ? `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** The field error for text with an unsafe character, or undefined when the text is fine. */
export function unsafeCharacterError(text: string): string | undefined {
  const found = firstUnsafeCharacter(text);
  return found
    ? `Remove the invisible control character (${found}): it cannot be stored or shown safely.`
    : undefined;
}

/** Drop unsafe characters (text that did not come through our forms, e.g. from Jira). */
export const stripUnsafe = (text: string): string => text.replace(UNSAFE, '');

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cut to at most `max` UTF-16 units (the unit Slack and Jira count in) without splitting a
 * character: an emoji, a flag or a letter with its accents stays whole or goes whole.
 */
export function truncateText(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const budget = max - ellipsis.length;
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    if (out.length + segment.length > budget) break;
    out += segment;
  }
  return `${out}${ellipsis}`;
}
