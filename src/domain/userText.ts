/**
 * Rules for text people type (titles, summaries, messages), whatever surface shows it later.
 * Pure: Slack and Jira escaping build on these.
 */

/** A surrogate half without its partner: JSON lets `"\ud800"` through; nothing can store or show it. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Characters no incident text needs and that cause harm: C0/C1 controls (PostgreSQL refuses
 * NUL outright), and the bidirectional overrides and isolates that make text read differently
 * from what it is ("Trojan Source"). Tab, line feed and carriage return stay.
 */
const UNSAFE = new RegExp(
  `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]|${LONE_SURROGATE.source}`,
  'g',
);

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

/** The user-perceived characters of a text (an emoji, a flag, a letter with its accents). */
export function* graphemes(text: string): Generator<string> {
  for (const { segment } of segmenter.segment(text)) yield segment;
}

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

/**
 * PostgreSQL text cannot hold U+0000 (nor can jsonb), and Prisma refuses a lone surrogate half,
 * so either anywhere in what the outside sent would fail the insert — and a 5xx makes Jira retry
 * the same delivery for ever. Text kept verbatim from outside (webhook bodies, headers, event
 * names) passes through here first: both become U+FFFD, which says "something unreadable was
 * here" without losing the rest. `maxLength` keeps only a prefix (UTF-16 units).
 */
export const storableText = (text: string, maxLength = Infinity): string =>
  // Cut first, then clean: a cut can split a surrogate pair, leaving exactly such a half.
  text.slice(0, maxLength).replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
