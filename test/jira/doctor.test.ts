import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredBotScopes } from '../../src/slack/scopes.js';
import { FakeJira, jiraEnv } from '../support/fakeJira.js';
import { npmScriptArgs } from '../support/npmScript.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { scratchDir } from '../support/tempDir.js';
import { postSigned, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let harness: TestBot;
const jira = new FakeJira();

beforeAll(async () => {
  db = await createTestDatabase();
  jira.start();
  harness = await startTestBot({
    DATABASE_URL: db.url,
    INCIDENT_BOT_CONFIG: writeMappingFile({ slack: { admins: ['U0ADMIN'] } }),
    ...jiraEnv,
  });
});
afterAll(async () => {
  await harness.stop();
  jira.stop();
  await db.drop();
});

function grantScopes(scopes: string[]) {
  harness.slack.on('auth.test', () => ({
    body: { ok: true, user_id: 'UBOT', user: 'incident-bot', team: 'Example' },
    headers: { 'x-oauth-scopes': scopes.join(',') },
  }));
}

async function doctor(user = 'U0ADMIN'): Promise<string> {
  harness.slack.reset();
  const response = await postSigned(
    harness.baseUrl,
    slashCommandBody({ text: 'doctor', user_id: user, response_url: `${harness.slack.url}/response/doctor` }),
  );
  const ack = (await response.json()) as { text: string };
  if (ack.text.startsWith(':x:')) return ack.text;
  const [reply] = await harness.slack.waitFor('response/doctor');
  return String(reply!.args.text);
}

describe('/incident doctor', () => {
  it('is for admins only', async () => {
    expect(await doctor('U0SOMEONE')).toContain('Only the bot admins');
  });

  it('passes every check on a good configuration', async () => {
    // Slack reports the granted scopes in the X-OAuth-Scopes header.
    grantScopes([...requiredBotScopes]);
    const report = await doctor();
    expect(report).toMatch(/PASS {2}Slack auth/);
    expect(report).toMatch(/PASS {2}Database +external PostgreSQL at 127\.0\.0\.1:\d+\/test_\w+: reachable/);
    expect(report).toMatch(/PASS {2}Database migrations +all \d+ applied/);
    expect(report).toMatch(/PASS {2}Jira site +https:\/\/example\.atlassian\.net reachable \(Jira Cloud/);
    expect(report).toMatch(/PASS {2}Jira credentials/);
    expect(report).toMatch(/PASS {2}Jira project INC/);
    expect(report).toMatch(/PASS {2}Jira issue types in INC/);
    expect(report).toMatch(/PASS {2}Jira statuses in INC/);
    expect(report).toMatch(/PASS {2}Jira custom fields/);
    expect(report).toMatch(/PASS {2}Jira link types/);
    expect(report).toContain('All checks passed.');
    expect(report).not.toContain('FAIL');
    // One verdict per thing checked: no name twice.
    const names = report
      .split('\n')
      .filter((line) => /^(PASS|FAIL) /.test(line))
      .map((line) => line.slice(6).split(/ {2,}/)[0]);
    expect(names.length).toBeGreaterThan(8);
    expect(new Set(names).size).toBe(names.length);
  });

  it('names what is broken: a missing field, a missing status, a missing link type', async () => {
    jira.fields.splice(jira.fields.indexOf('customfield_10936'), 1);
    jira.projects.INC!.statuses = jira.projects.INC!.statuses.filter(
      (status) => status !== 'Reporter validation',
    );
    jira.linkTypes.splice(0, jira.linkTypes.length, 'Duplicate');
    const report = await doctor();
    expect(report).toMatch(/FAIL {2}Jira custom fields +unknown field ids: customfield_10936/);
    expect(report).toMatch(/FAIL {2}Jira statuses in INC +not in the workflow: Reporter validation/);
    expect(report).toMatch(/FAIL {2}Jira link types +none of Relates, Blocks, Relates to exists/);
    expect(report).toContain('3 check(s) failed.');
  });

  it('names the scopes the installed app lacks', async () => {
    grantScopes(requiredBotScopes.filter((scope) => scope !== 'bookmarks:write' && scope !== 'groups:write'));
    const report = await doctor();
    expect(report).toMatch(
      /FAIL {2}Slack scopes +missing: groups:write, bookmarks:write \(reinstall the app from manifest.yml\)/,
    );
    grantScopes([...requiredBotScopes]);
  });

  it('reports bad credentials with what to fix', async () => {
    jira.failAlways('myself', {
      status: 401,
      body: { message: 'Client must be authenticated to access this resource.', 'status-code': 401 },
    });
    const report = await doctor();
    expect(report).toMatch(
      /FAIL {2}Jira credentials +Invalid Credentials: the API token must belong to the configured email's account \(bot@example\.com\)/,
    );
    expect(report).toMatch(/PASS {2}Jira site/); // the site answered: only the credentials are wrong
    jira.reset();
  });
});

describe('npm run doctor', () => {
  it('names the site root when JIRA_BASE_URL is a page copied from the browser', () => {
    const result = spawnSync(process.execPath, npmScriptArgs('doctor'), {
      env: {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: 'xoxb-doctor',
        SLACK_SIGNING_SECRET: 'secret',
        JIRA_BASE_URL: 'https://acme.atlassian.net/jira/software/projects/INC/boards/1',
        JIRA_EMAIL: 'bot@example.com',
        JIRA_API_TOKEN: 'token',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'JIRA_BASE_URL: is a page of the Jira site (copied from the browser), not the site itself: set JIRA_BASE_URL=https://acme.atlassian.net',
    );
  });

  it('prints the table and exits non-zero when a check fails', async () => {
    // A real process cannot see nock: give it a local Slack that answers and a Jira that refuses.
    const server = http.createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url?.startsWith('/api/auth.test')) {
        response.end(JSON.stringify({ ok: true, user_id: 'UBOT', user: 'incident-bot', team: 'Example' }));
      } else {
        response.statusCode = 401;
        response.end(
          JSON.stringify({
            message: 'Client must be authenticated to access this resource.',
            'status-code': 401,
          }),
        );
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const child = spawn(process.execPath, npmScriptArgs('doctor'), {
        env: {
          PATH: process.env.PATH,
          SLACK_BOT_TOKEN: 'xoxb-doctor',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: `${base}/api`,
          JIRA_BASE_URL: base,
          JIRA_EMAIL: 'bot@example.com',
          JIRA_API_TOKEN: 'wrong',
          DATA_DIR: path.join(mkdtempSync(path.join(scratchDir(), 'doctor-')), '.data'),
        },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      // 'close': after the report is fully read, not just the process gone.
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(1);
      expect(out).toMatch(/PASS {2}Slack auth/);
      expect(out).toMatch(/PASS {2}Database +embedded PostgreSQL at .*: not created yet/);
      expect(out).toMatch(/PASS {2}Jira site/);
      expect(out).toMatch(/FAIL {2}Jira credentials +Invalid Credentials/);
    } finally {
      server.close();
    }
  });
});
