import http from 'node:http';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installRejectionPolicy } from '../../src/processPolicy.js';
import { createLogger } from '../../src/logger.js';
import { eventually } from '../support/eventually.js';
import { postSigned, slashCommandBody, slackSignature } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

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

const helpStillAnswers = async () => {
  const response = await postSigned(harness.baseUrl, slashCommandBody({ text: 'help' }));
  expect(response.status).toBe(200);
};

describe('no single Slack request can kill the process', () => {
  // Each of these, correctly signed, made Bolt throw outside its error handling before the guard.
  it.each([
    ['a form payload that parses to null', 'payload=null', 'application/x-www-form-urlencoded'],
    ['a JSON body that is null', 'null', 'application/json'],
    ['a JSON body that is a number', '42', 'application/json'],
    [
      'a block action without actions',
      `payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U1"}}')}`,
      'application/x-www-form-urlencoded',
    ],
    ['a form that is no command', 'hello=world', 'application/x-www-form-urlencoded'],
    // Found by fuzzing (test/http/fuzz.test.ts): fields Bolt dereferences when present.
    [
      'an event whose authorizations hold null',
      '{"type":"event_callback","event":{"type":"reaction_added"},"authorizations":[null]}',
      'application/json',
    ],
    [
      'an event whose item is null',
      '{"type":"event_callback","event":{"type":"reaction_added","item":null}}',
      'application/json',
    ],
    [
      'a block action whose channel is null',
      `payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U1"},"channel":null,"actions":[{}]}')}`,
      'application/x-www-form-urlencoded',
    ],
  ])('%s → 400, an audit record, and the bot keeps serving', async (_name, body, contentType) => {
    const response = await postSigned(harness.baseUrl, body, { contentType });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'malformed_payload' });
    const audit = await eventually(
      () => db.prisma.webhookDelivery.findMany({ where: { source: 'slack', rawBody: body } }),
      (rows) => rows.length === 1,
    );
    expect(audit[0]).toMatchObject({ state: 'REJECTED' });
    expect(audit[0]!.error).toBeTruthy();
    await helpStillAnswers();
  });
});

describe('no path or content-type variant slips past the guard', () => {
  /** A raw request: unlike fetch, node:http sends the path as written (no dot-segment clean-up). */
  const sendRaw = (rawPath: string, body: string, timestamp: number) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(`${harness.baseUrl}/`, {
        method: 'POST',
        path: rawPath,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(body, timestamp),
        },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(body);
    });

  it.each(['/slack/./events', '/x/../slack/events', '/slack/events?retry=1'])(
    'a replay sent to %s is refused like one sent to /slack/events',
    async (variant) => {
      const body = slashCommandBody({ text: 'help' });
      const timestamp = Math.floor(Date.now() / 1000);
      expect(await sendRaw('/slack/events', body, timestamp)).toBe(200);
      expect(await sendRaw(variant, body, timestamp)).toBe(401);
    },
  );

  it('a signed null payload on a path variant is refused, not handed to Bolt', async () => {
    // Its own timestamp: the same body was sent earlier in this file, and would be a replay.
    expect(await sendRaw('/x/../slack/events', 'payload=null', Math.floor(Date.now() / 1000) - 7)).toBe(400);
  });

  it.each([
    [
      'a form with a charset (Bolt parses it as JSON)',
      'application/x-www-form-urlencoded; charset=utf-8',
      slashCommandBody({ text: 'help' }),
    ],
    [
      'a repeated payload field',
      'application/x-www-form-urlencoded',
      `payload=${encodeURIComponent('{"type":"shortcut","user":{"id":"U1"},"callback_id":"x"}')}&payload=x`,
    ],
    ['a body that is neither form nor JSON', 'text/plain', 'hello'],
  ])('%s → 400', async (_name, contentType, body) => {
    const response = await postSigned(harness.baseUrl, body, { contentType });
    expect(response.status).toBe(400);
  });
});

describe('signature discipline', () => {
  it('refuses a timestamp more than five minutes in the future', async () => {
    const response = await postSigned(harness.baseUrl, slashCommandBody({ text: 'help' }), {
      timestamp: Math.floor(Date.now() / 1000) + 600,
    });
    expect(response.status).toBe(401);
  });

  it('refuses the same signed request replayed within the window', async () => {
    const body = slashCommandBody({ text: 'help', trigger_id: 'replay-me' });
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await postSigned(harness.baseUrl, body, { timestamp })).status).toBe(200);
    expect((await postSigned(harness.baseUrl, body, { timestamp })).status).toBe(401);
  });

  it('answers 401 without waiting for the body when the signature headers are missing or malformed', async () => {
    for (const headers of [
      { 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) },
      { 'x-slack-request-timestamp': 'soon', 'x-slack-signature': 'v0=abc' },
    ]) {
      // The body is announced but never sent: only an answer that does not read it can arrive.
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request(`${harness.baseUrl}/slack/events`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': '1000',
            ...headers,
          },
        });
        request.on('response', (response) => {
          resolve(response.statusCode ?? 0);
          request.destroy();
        });
        request.on('error', reject);
        request.write('command=%2Fincident');
      });
      expect(status).toBe(401);
    }
  });

  it('refuses a body over the limit with 413', async () => {
    const body = `command=%2Fincident&user_id=U1&text=${'x'.repeat(1024 * 1024)}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${harness.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(body, timestamp),
      },
      body,
    });
    expect(response.status).toBe(413);
  });
});

describe('process policy for unhandled rejections', () => {
  it('logs the rejection with its context instead of letting the process exit', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'error',
      destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const target = new EventEmitter();
    const uninstall = installRejectionPolicy(target, logger);
    expect(target.listenerCount('unhandledRejection')).toBe(1);
    target.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    uninstall();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      code: 'UNHANDLED_REJECTION',
      msg: 'unhandled promise rejection; still serving',
    });
    expect(JSON.stringify(lines[0])).toContain('ssl_check');
  });
});
