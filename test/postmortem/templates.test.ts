import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPostMortemTemplates,
  defaultPostMortemTemplates,
  POSTMORTEM_SECTIONS,
  postMortemTemplates,
  type PostMortemData,
} from '../../src/postmortem/templates.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { scratchFile } from '../support/tempDir.js';
import { startTestBot } from '../support/testBot.js';
import { FakeSlack } from '../support/fakeSlack.js';

/** User text with every character wiki markup reads: `*`, `{`, `|`, `[`, `!`, newlines. */
const data: PostMortemData = {
  incident: {
    id: 7,
    title: 'Checkout *down* {EU} | [all] users!',
    description:
      'Payments failed for *everyone*.\nRetries {exhausted} | see [runbook|http://x] !img.png!\n\nh1. not a heading',
    url: 'https://status.example.com/incidents/7',
    priority: { name: 'P1', emoji: '🌪️', description: 'Critical issue that warrants liaison with e-team' },
    category: 'Payment',
    environments: ['PRD', 'STG'],
    commander: 'Jane [Human]',
  },
  impacts: [
    { type: 'Business impact', level: 'Highest' },
    { type: 'Customers impact', level: 'High' },
  ],
  timeline: [
    { at: '2026-11-30 10:00 UTC', event: 'Incident created (P1)' },
    { at: '2026-11-30 10:05 UTC', event: 'Key event: Detected - alert from *pager*\nsecond line | pipe' },
    { at: '2026-11-30 10:15 UTC', event: 'Status changed to: Mitigating' },
  ],
  updates: [
    {
      at: '2026-11-30 10:15 UTC',
      status: 'Mitigating',
      message: 'Rolled back {v2}\nto v1 | done',
      author: 'Jane [Human]',
    },
  ],
};

const golden = (section: string) =>
  path.join(import.meta.dirname, '..', 'golden', 'postmortem', `${section}.wiki`);

describe('post-mortem templates (golden files)', () => {
  const templates = postMortemTemplates();
  it.each(POSTMORTEM_SECTIONS)(
    '%s renders as its golden file, user text escaped, one line per cell',
    (section) => {
      const rendered = templates.render(section, data);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden(section), rendered);
      expect(rendered).toBe(readFileSync(golden(section), 'utf8'));
    },
  );

  it('no user text survives as markup: no live link, image, macro, bold or table cell break', () => {
    const all = POSTMORTEM_SECTIONS.map((section) => templates.render(section, data)).join('\n');
    expect(all).not.toContain('[runbook|http://x]');
    expect(all).not.toContain('!img.png!');
    expect(all).not.toContain('{exhausted}');
    expect(all).not.toContain('*down*');
    expect(all).not.toMatch(/^h1\. not a heading/m);
    // Every timeline row stays one row of exactly two cells.
    const rows = templates
      .render('timeline', data)
      .split('\n')
      .filter((line) => line.startsWith('| '));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(4);
  });
});

describe('a broken template fails the start, naming the file', () => {
  const copyTemplates = () => {
    const dir = scratchFile('pm-templates');
    mkdirSync(dir, { recursive: true });
    for (const section of POSTMORTEM_SECTIONS) {
      copyFileSync(path.join(defaultPostMortemTemplates, `${section}.eta`), path.join(dir, `${section}.eta`));
    }
    return dir;
  };

  it('the shipped templates pass', () => {
    expect(() => checkPostMortemTemplates(postMortemTemplates())).not.toThrow();
  });

  it('a runtime error: file and line', () => {
    const dir = copyTemplates();
    writeFileSync(path.join(dir, 'timeline.eta'), 'h2. Timeline\n<%= it.incident.nothing.here %>\n');
    expect(() => checkPostMortemTemplates(postMortemTemplates(dir))).toThrow(new RegExp(`timeline\\.eta:2`));
  });

  it('a syntax error: the file', () => {
    const dir = copyTemplates();
    writeFileSync(path.join(dir, 'impact.eta'), 'h2. Impact\n<% if (it.impacts { %>\n');
    expect(() => checkPostMortemTemplates(postMortemTemplates(dir))).toThrow(/impact\.eta/);
  });

  it('the bot itself refuses to start on a broken operator template, naming it (before touching the database)', async () => {
    const dir = copyTemplates();
    writeFileSync(path.join(dir, 'timeline.eta'), 'h2. Timeline\n<%= it.incident.nothing.here %>\n');
    const slack = await new FakeSlack().start();
    try {
      await expect(
        startTestBot(
          {
            DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
            INCIDENT_BOT_CONFIG: writeMappingFile({ postMortem: { templatesDir: dir } }),
          },
          { slack },
        ),
      ).rejects.toThrow(/timeline\.eta:2/);
    } finally {
      await slack.stop();
    }
  });

  it('a missing template: which one, and where', () => {
    const dir = copyTemplates();
    rmSync(path.join(dir, 'root_causes.eta'));
    expect(() => checkPostMortemTemplates(postMortemTemplates(dir))).toThrow(/root_causes\.eta/);
  });
});
