import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { runDoctor, type CheckResult } from '../../src/doctor/checks.js';
import { readMigrations } from '../../src/db/migrate.js';
import { doctorInputFromConfig } from '../../src/doctor/fromConfig.js';
import { requiredBotScopes } from '../../src/slack/scopes.js';
import { FakeSlack } from '../support/fakeSlack.js';
import { testLogger } from '../support/pgServer.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

// The doctor's checks, run as `npm run doctor` runs them, against real connections on loopback:
// a closed port, a server that never answers, a server that does not speak TLS, a host name
// that cannot resolve (.invalid is reserved for that, RFC 2606), and a real PostgreSQL.

let slack: FakeSlack;
let db: TestDatabase;
beforeAll(async () => {
  slack = await new FakeSlack().start();
  db = await createTestDatabase();
});
afterAll(async () => {
  await slack.stop();
  await db.drop();
});

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function doctor(env: NodeJS.ProcessEnv, withDatabase = false): Promise<CheckResult[]> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-doctor',
    SLACK_SIGNING_SECRET: 'secret',
    SLACK_API_URL: slack.url,
    DATABASE_URL: db.url,
    ...env,
  });
  const input = doctorInputFromConfig(config, testLogger());
  return runDoctor(withDatabase ? input : { ...input, database: undefined });
}

const jiraAt = (base: string, timeoutMs = 15000) => ({
  JIRA_BASE_URL: base,
  JIRA_EMAIL: 'bot@example.com',
  JIRA_API_TOKEN: 'token',
  JIRA_TIMEOUT_MS: String(timeoutMs),
});

/** The Jira part of the report: a network failure is one FAIL line, nothing after it. */
function jiraLines(results: CheckResult[]) {
  return results.filter((result) => result.check.startsWith('Jira'));
}

describe('npm run doctor names the network failure', () => {
  it('connection refused', async () => {
    const port = await closedPort();
    const lines = jiraLines(await doctor(jiraAt(`http://127.0.0.1:${port}`)));
    expect(lines).toEqual([
      {
        check: 'Jira site',
        ok: false,
        detail: `Jira is unreachable: connection refused by 127.0.0.1:${port} (nothing listens there).`,
      },
    ]);
  });

  it('DNS: host name not found', async () => {
    // nock's disableNetConnect would answer for the resolver; let this one host through to it.
    const loopback = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;
    nock.enableNetConnect((host) => loopback.test(host) || /^jira\.invalid(:\d+)?$/.test(host));
    try {
      const lines = jiraLines(await doctor(jiraAt('https://jira.invalid')));
      expect(lines).toEqual([
        {
          check: 'Jira site',
          ok: false,
          detail: 'Jira is unreachable: DNS: host name jira.invalid not found.',
        },
      ]);
    } finally {
      nock.enableNetConnect((host) => loopback.test(host));
    }
  });

  it('timeout after N s (JIRA_TIMEOUT_MS)', async () => {
    const silent = http.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const lines = jiraLines(await doctor(jiraAt(`http://127.0.0.1:${port}`, 200)));
      expect(lines).toEqual([
        { check: 'Jira site', ok: false, detail: 'Jira is unreachable: timeout: no answer after 0.2 s.' },
      ]);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('TLS error', async () => {
    const plain = http.createServer((_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as AddressInfo;
      const lines = jiraLines(await doctor(jiraAt(`https://127.0.0.1:${port}`)));
      expect(lines).toEqual([
        {
          check: 'Jira site',
          ok: false,
          detail:
            'Jira is unreachable: TLS error (ERR_SSL_WRONG_VERSION_NUMBER): the server does not speak TLS on that port (http:// instead of https://?).',
        },
      ]);
    } finally {
      plain.close();
    }
  });

  it('a Slack API that refuses connections is one FAIL line, not a credentials problem', async () => {
    const port = await closedPort();
    const results = await doctor({ SLACK_API_URL: `http://127.0.0.1:${port}/api` });
    const slackLines = results.filter((result) => result.check.startsWith('Slack'));
    expect(slackLines).toEqual([
      {
        check: 'Slack auth',
        ok: false,
        detail: expect.stringMatching(/^Slack unreachable: connection refused by 127\.0\.0\.1:\d+/),
      },
    ]);
  });
});

describe('configured Slack channels', () => {
  const channels = {
    C0INCIDENTS: { name: 'incidents', is_private: false, is_member: true },
    C0ALERTS: { name: 'alerts', is_private: false, is_member: false },
    C0ALERTSHIGH: { name: 'alerts-high', is_private: false, is_member: false, is_archived: true },
  } as Record<string, Record<string, unknown>>;

  async function withChannels(scopes: readonly string[], mapping: Record<string, string>) {
    slack.on('auth.test', () => ({
      body: { ok: true, user_id: 'UBOT', user: 'incident-bot', team: 'Example' },
      headers: { 'x-oauth-scopes': scopes.join(',') },
    }));
    slack.on('conversations.info', (args) => {
      const channel = channels[String(args.channel)];
      return channel
        ? { ok: true, channel: { id: args.channel, ...channel } }
        : { ok: false, error: 'channel_not_found' };
    });
    const { writeMappingFile } = await import('../support/mappingFile.js');
    return doctor({ INCIDENT_BOT_CONFIG: writeMappingFile({ slack: mapping }) });
  }

  it('says for each channel whether the bot can post there, and why not', async () => {
    const results = await withChannels(requiredBotScopes, {
      incidentsChannelId: 'C0INCIDENTS',
      alertChannelId: 'C0ALERTS',
      alertChannelHighId: 'C0PRIVATE',
    });
    const lines = results.filter((result) => result.check.startsWith('Slack channel'));
    expect(lines).toEqual([
      {
        check: 'Slack channel incidentsChannelId',
        ok: true,
        detail: '#incidents (C0INCIDENTS): the bot is a member',
      },
      {
        check: 'Slack channel alertChannelId',
        ok: true,
        detail: '#alerts (C0ALERTS): not a member; can post with chat:write.public',
      },
      {
        check: 'Slack channel alertChannelHighId',
        ok: false,
        detail:
          'C0PRIVATE: not found, or a private channel the bot is not in (invite it there, or fix slack.alertChannelHighId)',
      },
    ]);
  });

  it('fails a public channel the bot is not in without chat:write.public, and an archived one', async () => {
    const results = await withChannels(
      requiredBotScopes.filter((scope) => scope !== 'chat:write.public'),
      { alertChannelId: 'C0ALERTS', alertChannelHighId: 'C0ALERTSHIGH' },
    );
    const lines = results.filter((result) => result.check.startsWith('Slack channel'));
    expect(lines).toEqual([
      {
        check: 'Slack channel alertChannelId',
        ok: false,
        detail:
          '#alerts (C0ALERTS): not a member and chat:write.public is not granted: /invite the bot or reinstall the app',
      },
      {
        check: 'Slack channel alertChannelHighId',
        ok: false,
        detail: '#alerts-high (C0ALERTSHIGH) is archived: pick another channel',
      },
    ]);
  });
});

describe('database', () => {
  const dbLines = (results: CheckResult[]) => results.filter((result) => result.check.startsWith('Database'));

  it('is reachable and migrated', async () => {
    expect(dbLines(await doctor({}, true))).toEqual([
      {
        check: 'Database',
        ok: true,
        detail: expect.stringMatching(/^external PostgreSQL at 127\.0\.0\.1:\d+\/test_\w+: reachable$/),
      },
      { check: 'Database migrations', ok: true, detail: `all ${readMigrations().length} applied` },
    ]);
  });

  it('names a migration that was not applied', async () => {
    await db.prisma
      .$executeRaw`delete from "_prisma_migrations" where migration_name = '20261123000000_init'`;
    expect(dbLines(await doctor({}, true))).toEqual([
      expect.objectContaining({ check: 'Database', ok: true }),
      {
        check: 'Database migrations',
        ok: false,
        detail:
          'not applied: 20261123000000_init (run npm run db:migrate, or start the bot: it applies them)',
      },
    ]);
  });

  it('names why it cannot be reached, without the password', async () => {
    const port = await closedPort();
    const lines = dbLines(
      await doctor({ DATABASE_URL: `postgresql://bot:s3cret@127.0.0.1:${port}/incidents` }, true),
    );
    expect(lines).toEqual([
      {
        check: 'Database',
        ok: false,
        detail: `external PostgreSQL at 127.0.0.1:${port}/incidents: connection refused by 127.0.0.1:${port} (nothing listens there)`,
      },
    ]);
  });
});
