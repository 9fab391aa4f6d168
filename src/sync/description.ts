import { wikiUnescape } from '../jira/wiki.js';

/** The critical-incident header of the ticket description starts with this (templates/jira). */
const HEADER_START = '🧯';
/** Where the description proper ends in the ticket description template. */
const DETAILS_HEADING = /^h3\.[ \t]*Additional Information\b/m;

/** Wiki text as Jira stores it, compared without line-ending or trailing-space differences. */
export const normalizeWiki = (text: string | null | undefined): string =>
  (text ?? '').replace(/\r\n?/g, '\n').trimEnd();

/**
 * The incident description inside a ticket description: without the bot's critical header and
 * "Additional Information" block when they are still there, unescaped. A description a person
 * rewrote entirely in Jira is taken whole.
 */
export function descriptionFromWiki(wiki: string | null | undefined): string {
  let text = normalizeWiki(wiki);
  if (text.startsWith(HEADER_START)) {
    const blank = text.indexOf('\n\n');
    text = blank === -1 ? '' : text.slice(blank + 2);
  }
  // Anchored at a line start with no leading run to backtrack over: linear on any text.
  const details = DETAILS_HEADING.exec(text);
  if (details) text = text.slice(0, details.index);
  return wikiUnescape(text).trim();
}
