import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { scratchFile } from '../support/tempDir.js';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { startupSummary } from '../../src/startupSummary.js';
import { npmScriptArgs } from '../support/npmScript.js';

const minimal = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to fail');
}

function tempFile(name: string, content: string): string {
  const file = scratchFile(name);
  writeFileSync(file, content);
  return file;
}

describe('environment', () => {
  it('loads defaults from the minimal environment', () => {
    const config = loadConfig(minimal);
    expect(config.env.PORT).toBe(3000);
    expect(config.env.DATA_DIR).toBe('./.data');
    expect(config.env.DATABASE_URL).toBeUndefined();
    expect(config.env.LOG_LEVEL).toBe('info');
    expect(config.mappingSource).toBe('defaults');
    expect(config.mapping.slack.command).toBe('/incident');
    expect(config.mapping.jira.fields.priority).toEqual({ id: 'customfield_11064', kind: 'option' });
    expect(config.mapping.jira.statusFromJira['Reporter validation']).toBe('MITIGATED');
    expect(config.mapping.jira.statusToJira.CLOSED).toBe('Closed');
  });

  it('reports every missing and invalid variable at once, by name', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://nope',
      SLACK_API_URL: 'ftp://slack',
      JIRA_BASE_URL: 'https://example.atlassian.net',
      JIRA_EMAIL: 'not-an-email',
      LOG_LEVEL: 'loud',
    });
    const named = (variable: string) => problems.some((problem) => problem.startsWith(`${variable}:`));
    for (const variable of [
      'PORT',
      'DATABASE_URL',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_API_URL',
      'JIRA_EMAIL',
      'JIRA_API_TOKEN',
      'LOG_LEVEL',
    ]) {
      expect(named(variable), `${variable} in ${problems.join(' | ')}`).toBe(true);
    }
    expect(problems.find((problem) => problem.startsWith('SLACK_BOT_TOKEN:'))).toBe(
      'SLACK_BOT_TOKEN: required',
    );
  });

  it('refuses a Jira page pasted as JIRA_BASE_URL and names the site root to use', () => {
    const jira = { JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'token' };
    const rootFor = (url: string) =>
      problemsOf({ ...minimal, ...jira, JIRA_BASE_URL: url })
        .find((problem) => problem.startsWith('JIRA_BASE_URL:'))
        ?.replace(/^.*set JIRA_BASE_URL=/, '');
    expect(rootFor('https://acme.atlassian.net/jira/software/projects/INC/boards/1')).toBe(
      'https://acme.atlassian.net',
    );
    expect(rootFor('https://acme.atlassian.net/browse/INC-1')).toBe('https://acme.atlassian.net');
    // Jira Data Center under a context path: the path before the page is part of the root.
    expect(rootFor('https://jira.example.com/jira/browse/INC-1')).toBe('https://jira.example.com/jira');
    expect(rootFor('https://jira.example.com/secure/RapidBoard.jspa?rapidView=1')).toBe(
      'https://jira.example.com',
    );
    // Site roots, with or without a context path, are fine.
    for (const url of ['https://acme.atlassian.net/', 'https://jira.example.com/jira']) {
      expect(loadConfig({ ...minimal, ...jira, JIRA_BASE_URL: url }).env.JIRA_BASE_URL).toBe(
        url.replace(/\/$/, ''),
      );
    }
  });

  it('needs no signing secret in Socket Mode, and accepts http:// Jira for local fakes', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-1-test',
      JIRA_BASE_URL: 'http://127.0.0.1:8080/',
      JIRA_EMAIL: 'bot@example.com',
      JIRA_API_TOKEN: 'token',
    });
    expect(config.env.SLACK_SIGNING_SECRET).toBeUndefined();
    expect(config.env.JIRA_BASE_URL).toBe('http://127.0.0.1:8080');
  });
});

describe('mapping file', () => {
  it('merges a YAML file over the defaults', () => {
    const file = tempFile(
      'mapping.yml',
      [
        'jira:',
        '  projectKey: OPS',
        '  fields:',
        '    priority: { id: customfield_20000, kind: number }',
      ].join('\n'),
    );
    const config = loadConfig({ ...minimal, INCIDENT_BOT_CONFIG: file });
    expect(config.mapping.jira.projectKey).toBe('OPS');
    expect(config.mapping.jira.fields.priority).toEqual({ id: 'customfield_20000', kind: 'number' });
    // Untouched keys keep their defaults.
    expect(config.mapping.jira.fields.environments?.id).toBe('customfield_11049');
    expect(config.mapping.jira.issueType).toBe('Incident');
  });

  it("maps priorities onto Jira's own Priority field, and only with the field id priority", () => {
    const file = tempFile(
      'mapping.yml',
      ['jira:', '  fields:', '    priority: { id: priority, kind: jiraPriority }'].join('\n'),
    );
    const config = loadConfig({ ...minimal, INCIDENT_BOT_CONFIG: file });
    expect(config.mapping.jira.fields.priority).toEqual({ id: 'priority', kind: 'jiraPriority' });
    expect(config.mapping.jira.priorityToJira).toEqual({
      P1: 'Highest',
      P2: 'High',
      P3: 'Medium',
      P4: 'Low',
      P5: 'Lowest',
    });
    const wrong = tempFile(
      'mapping.yml',
      ['jira:', '  fields:', '    priority: { id: customfield_1, kind: jiraPriority }'].join('\n'),
    );
    expect(problemsOf({ ...minimal, INCIDENT_BOT_CONFIG: wrong })).toEqual([
      expect.stringMatching(/jira\.fields\.priority\.id: kind jiraPriority .* its id must be priority$/),
    ]);
  });

  it('reads JSON too', () => {
    const file = tempFile(
      'mapping.json',
      JSON.stringify({ slack: { command: '/inc', aliases: ['/sos-incident'] } }),
    );
    const config = loadConfig({ ...minimal, INCIDENT_BOT_CONFIG: file });
    expect(config.mapping.slack.command).toBe('/inc');
    expect(config.mapping.slack.aliases).toEqual(['/sos-incident']);
  });

  it('reports every problem in the file with its path, alongside env problems', () => {
    const file = tempFile(
      'mapping.yml',
      [
        'jira:',
        '  projectKey: lower-case',
        '  fields:',
        '    priority: { id: "priority field", kind: option }',
        'slack:',
        '  incidentsChannelId: general',
      ].join('\n'),
    );
    const problems = problemsOf({ SLACK_SIGNING_SECRET: 's', INCIDENT_BOT_CONFIG: file });
    expect(problems.some((p) => p.startsWith('SLACK_BOT_TOKEN:'))).toBe(true);
    expect(problems.some((p) => p.includes('jira.projectKey: must be a Jira project key'))).toBe(true);
    expect(problems.some((p) => p.includes('jira.fields.priority.id: must be a Jira field id'))).toBe(true);
    expect(problems.some((p) => p.includes('slack.incidentsChannelId: must be a Slack channel id'))).toBe(
      true,
    );
  });

  it('rejects unknown keys at every level, naming the nearest valid key', () => {
    const file = tempFile(
      'mapping.yml',
      [
        'slack:',
        '  incidentChannelId: C0INCIDENTS', // the typo that used to switch announcements off
        'jira:',
        '  fields:',
        '    priority: { id: customfield_1, knd: option }',
        '    enviroments: null',
        '  projectByCategory: { Database: DBA }', // user-keyed record: any key is fine
        'catalog:',
        '  environments:',
        '    - { value: PRD, name: Production, default: true, colour: red }',
        'postmortem: {}',
      ].join('\n'),
    );
    const problems = problemsOf({ ...minimal, INCIDENT_BOT_CONFIG: file });
    const unknown = problems.filter((problem) => problem.includes('unknown key'));
    expect(unknown.map((problem) => problem.replace(/^.*\): /, ''))).toEqual(
      expect.arrayContaining([
        'slack.incidentChannelId: unknown key — did you mean incidentsChannelId?',
        'jira.fields.priority.knd: unknown key — did you mean kind?',
        'jira.fields.enviroments: unknown key — did you mean environments?',
        'catalog.environments.0.colour: unknown key (expected one of: value, name, default)',
        'postmortem: unknown key — did you mean postMortem?',
      ]),
    );
    expect(unknown).toHaveLength(5);
    expect(problems.some((problem) => problem.includes('Database'))).toBe(false);
  });

  it('reports an unreadable or malformed file', () => {
    expect(problemsOf({ ...minimal, INCIDENT_BOT_CONFIG: '/nonexistent/mapping.yml' })[0]).toMatch(
      /^INCIDENT_BOT_CONFIG: cannot read/,
    );
    const broken = tempFile('mapping.yml', 'jira: [unclosed');
    expect(problemsOf({ ...minimal, INCIDENT_BOT_CONFIG: broken })[0]).toMatch(
      /^INCIDENT_BOT_CONFIG: .* is not valid/,
    );
  });
});

describe('process start with a bad configuration', () => {
  it('prints every problem and exits non-zero before touching anything', () => {
    const result = spawnSync(process.execPath, npmScriptArgs('start'), {
      env: { PATH: process.env.PATH, PORT: 'x', JIRA_BASE_URL: 'https://example.atlassian.net' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    for (const variable of [
      'PORT',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'JIRA_EMAIL',
      'JIRA_API_TOKEN',
    ]) {
      expect(result.stderr).toContain(`${variable}:`);
    }
  });
});

describe('config/mapping.default.yml', () => {
  it('is the complete default: loading it as a mapping file changes nothing', () => {
    const config = loadConfig({ ...minimal, INCIDENT_BOT_CONFIG: 'config/mapping.default.yml' });
    expect(config.mapping).toEqual(loadConfig(minimal).mapping);
  });
});

describe('startup summary', () => {
  it('names mode, mapping file, Jira site and an external database without its credentials', () => {
    const mappingFile = tempFile('mapping.yml', 'slack: { command: /inc }');
    const summary = startupSummary(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-1-test',
        DATABASE_URL: 'postgresql://bot:s3cret-pw@db.internal:6543/incidents',
        JIRA_BASE_URL: 'https://example.atlassian.net',
        JIRA_EMAIL: 'bot@example.com',
        JIRA_API_TOKEN: 'token',
        INCIDENT_BOT_CONFIG: mappingFile,
      }),
    );
    expect(summary).toEqual({
      mode: 'Socket Mode',
      mapping: mappingFile,
      jira: 'https://example.atlassian.net',
      database: 'external PostgreSQL at db.internal:6543/incidents',
    });
    expect(JSON.stringify(summary)).not.toContain('s3cret');
  });
});
