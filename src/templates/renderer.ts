import path from 'node:path';
import { Eta } from 'eta';
import { projectRoot } from '../projectRoot.js';

export const templatesDir = path.join(projectRoot, 'templates');

/**
 * Escape Jira wiki control characters in user-supplied text, so a title like `{code}` or
 * `*urgent*` shows as typed. Templates call it as `it.wiki(value)`; template text itself is
 * written in wiki markup and left alone.
 */
export function wikiEscape(text: string): string {
  return text.replace(/([*_{}[\]|\\])/g, '\\$1');
}

// Eta's `<% %>` never collides with Jira's `{{monospace}}`; no auto-trim (wiki markup is line
// based) and no HTML escaping (this is not HTML: we wiki-escape user text ourselves).
const eta = new Eta({ views: templatesDir, autoEscape: false, autoTrim: false, cache: true });

/** Render `templates/<name>.eta` with `data`, plus the `wiki` escaper. */
export function renderTemplate(name: string, data: Record<string, unknown>): string {
  return eta.render(name, { ...data, wiki: wikiEscape });
}
