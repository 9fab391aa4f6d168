import { existsSync } from 'node:fs';
import path from 'node:path';
import { Eta } from 'eta';
import { AppError } from '../errors.js';
import { wikiEscape } from '../jira/wiki.js';
import { projectRoot } from '../projectRoot.js';

/** The post-mortem's sections, each rendered from `<templates dir>/<section>.eta` (Jira wiki). */
export const POSTMORTEM_SECTIONS = [
  'incident_summary',
  'timeline',
  'impact',
  'mitigation_actions',
  'root_causes',
] as const;
export type PostMortemSection = (typeof POSTMORTEM_SECTIONS)[number];

/** What the templates see (`it.…`); every string in it is user text or ours, never markup. */
export interface PostMortemData {
  incident: {
    id: number;
    title: string;
    description: string;
    url: string | null;
    priority: { name: string; emoji: string; description: string };
    category: string;
    environments: string[];
    commander: string | null;
  };
  impacts: { type: string; level: string }[];
  /** Time (UTC, minutes) and event, oldest first. */
  timeline: { at: string; event: string }[];
  /** Status updates that carried a message. */
  updates: { at: string; status: string; message: string; author: string | null }[];
}

/** The shipped templates; the mapping's `postMortem.templatesDir` can point elsewhere. */
export const defaultPostMortemTemplates = path.join(projectRoot, 'templates', 'postmortem');

/** User text on one line (table cells, list items): wiki-escaped, line breaks folded to spaces. */
export const oneLine = (text: string) => wikiEscape(text.replace(/\s*\r?\n\s*/g, ' ').trim());

export interface PostMortemTemplates {
  readonly dir: string;
  render(section: PostMortemSection, data: PostMortemData): string;
}

/**
 * Eta over the templates folder: `<% %>` never collides with Jira's `{{monospace}}`; no
 * auto-trim (wiki markup is line based) and no HTML escaping — user text goes through
 * `it.wiki()` (blocks) or `it.oneLine()` (cells, list items). `debug` makes a template error
 * name its file and line.
 */
export function postMortemTemplates(dir: string = defaultPostMortemTemplates): PostMortemTemplates {
  const eta = new Eta({ views: dir, autoEscape: false, autoTrim: false, cache: true, debug: true });
  return {
    dir,
    render: (section, data) => eta.render(section, { ...data, wiki: wikiEscape, oneLine }),
  };
}

/** A plausible incident, with the characters most likely to break wiki markup in every field. */
export const samplePostMortemData: PostMortemData = {
  incident: {
    id: 42,
    title: 'Checkout *down* for {EU} | [users]',
    description: 'Payments failed.\nRetries {exhausted} | see [runbook]',
    url: 'https://status.example.com/incidents/42',
    priority: { name: 'P1', emoji: '🌪️', description: 'Critical issue' },
    category: 'Payment',
    environments: ['PRD'],
    commander: 'Jane Human',
  },
  impacts: [{ type: 'Customers impact', level: 'High' }],
  timeline: [
    { at: '2026-11-30 10:00 UTC', event: 'Incident created (P1)' },
    { at: '2026-11-30 10:05 UTC', event: 'Key event: Detected - first alert\n| pipe' },
  ],
  updates: [
    { at: '2026-11-30 10:20 UTC', status: 'Mitigating', message: 'Rolled back', author: 'Jane Human' },
  ],
};

/** The same incident with every optional part empty: templates must not assume them. */
export const sparsePostMortemData: PostMortemData = {
  ...samplePostMortemData,
  incident: { ...samplePostMortemData.incident, url: null, commander: null, environments: [] },
  impacts: [],
  timeline: [samplePostMortemData.timeline[0]!],
  updates: [],
};

/**
 * Render every section against the sample incident: a broken template stops the bot at start
 * (naming the file, and the line when Eta can tell), never an incident's post-mortem later.
 */
export function checkPostMortemTemplates(templates: PostMortemTemplates): void {
  for (const section of POSTMORTEM_SECTIONS) {
    const file = path.join(templates.dir, `${section}.eta`);
    if (!existsSync(file)) {
      throw new AppError('CONFIG_INVALID', `post-mortem template missing: ${file}`, {
        userMessage: `post-mortem template missing: ${file} (postMortem.templatesDir must hold ${POSTMORTEM_SECTIONS.map((name) => `${name}.eta`).join(', ')})`,
      });
    }
    try {
      // A full incident, and one with nothing optional (no impacts, updates, page or commander).
      templates.render(section, samplePostMortemData);
      templates.render(section, sparsePostMortemData);
    } catch (error) {
      const message = (error as Error).message.split('\n').slice(0, 8).join('\n');
      // Runtime errors name "file:line" already; syntax errors do not name the file.
      const where = message.includes(file) ? '' : `${file}: `;
      throw new AppError('CONFIG_INVALID', `post-mortem template ${section} is broken: ${where}${message}`, {
        cause: error,
        userMessage: `post-mortem template ${where}${message}`,
      });
    }
  }
}
