import path from 'node:path';
import { Eta } from 'eta';
import { wikiEscape } from '../jira/wiki.js';
import { projectRoot } from '../projectRoot.js';

export const templatesDir = path.join(projectRoot, 'templates');

// Eta's `<% %>` never collides with Jira's `{{monospace}}`; no auto-trim (wiki markup is line
// based) and no HTML escaping (this is not HTML: we wiki-escape user text ourselves).
const eta = new Eta({ views: templatesDir, autoEscape: false, autoTrim: false, cache: true });

/** Render `templates/<name>.eta` with `data`, plus the `wiki` escaper. */
export function renderTemplate(name: string, data: Record<string, unknown>): string {
  return eta.render(name, { ...data, wiki: wikiEscape });
}
