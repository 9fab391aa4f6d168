import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_DOWN } from '../../src/slack/listeners/runOrSay.js';
import { FakeSlack } from '../support/fakeSlack.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { messageBlockAction } from '../support/openFlowPayloads.js';
import { interactiveBody, postSigned, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

describe('Slack receiver and health on one port (DATABASE_URL set)', () => {
  let db: TestDatabase;
  let harness: TestBot;
  beforeAll(async () => {
    db = await createTestDatabase();
    harness = await startTestBot({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await harness.stop();
    await db.drop();
  });

  it('called auth.test on the configured Slack API at start', () => {
    expect(harness.slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('routes a correctly signed slash command to its listener', async () => {
    const response = await postSigned(harness.baseUrl, slashCommandBody({ text: 'help' }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { text: string; response_type: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/incident open');
  });

  it('a button no flow handles (a message older than this version) is acked at once, not left to time out', async () => {
    const response = await postSigned(
      harness.baseUrl,
      interactiveBody({
        type: 'block_actions',
        user: { id: 'U0REPORTER' },
        actions: [{ action_id: 'retired_button', type: 'button', value: '1' }],
        trigger_id: 'T1',
      }),
    );
    // Bolt alone answers an unhandled request 404, once its 3 s timeout ends.
    expect(response.status).toBe(200);
  });

  it('answers 401 to a bad signature and runs no listener', async () => {
    const response = await postSigned(harness.baseUrl, slashCommandBody({ text: 'help' }), {
      secret: 'wrong-secret',
    });
    expect(response.status).toBe(401);
  });

  it('answers 401 to a stale timestamp (replay)', async () => {
    const response = await postSigned(harness.baseUrl, slashCommandBody({ text: 'help' }), {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(response.status).toBe(401);
  });

  it('cuts slow clients off: 10 s for the headers, 15 s for the whole request', () => {
    expect(harness.bot.server!.headersTimeout).toBe(10_000);
    expect(harness.bot.server!.requestTimeout).toBe(15_000);
  });

  it('GET /healthz is 200 with the database up and the worker running', async () => {
    const response = await fetch(`${harness.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: 'up', worker: 'running' });
  });
});

describe('embedded database by default', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-http-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /healthz from the embedded database, and 503 once the database is stopped', async () => {
    const harness = await startTestBot({ DATA_DIR: path.join(dataDir, '.data') });
    try {
      expect(harness.bot.database.embedded).toBeDefined();
      const up = await fetch(`${harness.baseUrl}/healthz`);
      expect(up.status).toBe(200);

      await harness.bot.database.embedded!.stop();
      const down = await fetch(`${harness.baseUrl}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'unavailable', db: 'down' });

      // A command that needs the database says so, instead of timing out in Slack.
      const status = await postSigned(harness.baseUrl, slashCommandBody({ text: 'status' }));
      expect(((await status.json()) as { text: string }).text).toBe(DATABASE_DOWN);
      // So does a button whose incident cannot be looked up: never "does not exist or is private".
      const click = messageBlockAction('C0GENERAL', `${harness.slack.url}/response/db-down`, {
        type: 'button',
        action_id: 'open_update_modal',
        block_id: 'b',
        value: '1',
      });
      await postSigned(harness.baseUrl, interactiveBody(click));
      const [answer] = await harness.slack.waitFor('response/db-down');
      expect(answer!.args.text).toBe(DATABASE_DOWN);
    } finally {
      await harness.stop();
    }
  });
});

describe('command name and aliases from the mapping file', () => {
  it('answers on every alias, and its help names the configured command', async () => {
    const db = await createTestDatabase();
    const harness = await startTestBot({
      DATABASE_URL: db.url,
      INCIDENT_BOT_CONFIG: writeMappingFile({ slack: { command: '/inc', aliases: ['/sos-incident'] } }),
    });
    try {
      for (const command of ['/inc', '/sos-incident']) {
        const response = await postSigned(harness.baseUrl, slashCommandBody({ command, text: 'help' }));
        expect(((await response.json()) as { text: string }).text).toContain('/inc open');
      }
    } finally {
      await harness.stop();
      await db.drop();
    }
  });
});

describe('auth.test at start', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('Slack not answering once (503) is tried again: the bot starts', async () => {
    const slack = await new FakeSlack().start();
    slack.failNext('auth.test', { status: 503, body: { ok: false } });
    const harness = await startTestBot({ DATABASE_URL: db.url }, { slack });
    try {
      expect(slack.callsTo('auth.test')).toHaveLength(2);
    } finally {
      await harness.stop();
    }
  });

  it('a refused token stops the start at once, saying so', async () => {
    const slack = await new FakeSlack().start();
    slack.on('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    try {
      await expect(startTestBot({ DATABASE_URL: db.url }, { slack })).rejects.toMatchObject({
        code: 'SLACK_API_ERROR',
        message: 'Slack rejected the bot token (auth.test: invalid_auth)',
      });
      expect(slack.callsTo('auth.test')).toHaveLength(1);
    } finally {
      await slack.stop();
    }
  });
});
