import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jiraWebhookRoute } from '../../src/http/jiraWebhookRoute.js';
import { fixtureText } from '../support/fixtures.js';
import { jiraSignature, postJiraWebhook } from '../support/jiraWebhooks.js';
import { testLogger } from '../support/pgServer.js';
import { startSyncBot } from '../support/syncHarness.js';
import type { TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let harness: TestBot;
beforeAll(async () => {
  db = await createTestDatabase();
  harness = await startSyncBot(db, { JIRA_WEBHOOK_MAX_BYTES: '65536' });
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});

const statusChange = fixtureText('jira/issue_updated-status.json');
const deliveries = (deliveryId: string) =>
  db.prisma.webhookDelivery.findMany({ where: { source: 'jira', deliveryId } });

describe('POST /jira/webhook: the signature', () => {
  it('valid: recorded once and answered 202 (an issue that is no incident ticket is kept as ignored)', async () => {
    const response = await postJiraWebhook(harness.baseUrl, statusChange, { id: 'sig-valid' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ ok: true, delivery: 'accepted' });
    expect(await deliveries('sig-valid')).toEqual([
      expect.objectContaining({
        state: 'IGNORED',
        outcome: 'not an incident ticket',
        event: 'jira:issue_updated',
      }),
    ]);
  });

  it('upper-case algorithm name (SHA256=) and upper-case hex are the same signature', async () => {
    const signature = jiraSignature(statusChange).replace('sha256=', 'SHA256=').toUpperCase();
    const response = await postJiraWebhook(harness.baseUrl, statusChange, { id: 'sig-upper', signature });
    expect(response.status).toBe(202);
  });

  it.each([
    ['missing', null],
    ['wrong', jiraSignature(statusChange, 'another-secret')],
    ['md5', `md5=${'0'.repeat(32)}`],
    ['sha1', `sha1=${'0'.repeat(40)}`],
    ['malformed', 'sha256=not-hex'],
    ['of another body', jiraSignature(`${statusChange} `)],
  ])('%s signature: 401, nothing recorded', async (name, signature) => {
    const response = await postJiraWebhook(harness.baseUrl, statusChange, { id: `sig-${name}`, signature });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_signature' });
    expect(await deliveries(`sig-${name}`)).toEqual([]);
  });

  it('no secret configured: every delivery is refused (401), never processed unsigned', async () => {
    const route = jiraWebhookRoute({
      prisma: db.prisma,
      secret: undefined,
      maxBytes: 65536,
      logger: testLogger(),
    });
    const server: Server = createServer((request, response) => route.handler(request as never, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const response = await postJiraWebhook(url, statusChange, { id: 'sig-nosecret' });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'webhook_secret_not_configured' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('POST /jira/webhook: the body', () => {
  it('over the size limit: 413 without reading it all', async () => {
    const huge = JSON.stringify({ webhookEvent: 'jira:issue_updated', padding: 'x'.repeat(200_000) });
    const response = await postJiraWebhook(harness.baseUrl, huge, { id: 'too-big' });
    expect(response.status).toBe(413);
    expect(await deliveries('too-big')).toEqual([]);
  });

  it('over the size limit without a declared length (chunked): 413 as soon as the limit is passed', async () => {
    const { port } = new URL(harness.baseUrl);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port: Number(port),
          path: '/jira/webhook',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature': jiraSignature('x') },
        },
        (response) => {
          resolve(response.statusCode ?? 0);
          response.resume();
        },
      );
      request.on('error', reject);
      // 64 KiB is the limit here: send 16 KiB at a time, far past it, without ending.
      const chunk = 'x'.repeat(16 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 40 && request.write(chunk)) sent += 1;
        if (sent < 40)
          request.once('drain', () => {
            sent += 1;
            pump();
          });
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('malformed JSON: 400 and an audit record of what was sent', async () => {
    const response = await postJiraWebhook(harness.baseUrl, '{"webhookEvent": "jira:issue_upd', {
      id: 'bad-json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'malformed_json' });
    const audit = await db.prisma.webhookDelivery.findFirst({
      where: { source: 'jira', state: 'REJECTED', error: 'malformed JSON' },
    });
    expect(audit?.rawBody).toBe('{"webhookEvent": "jira:issue_upd');
  });

  // Found by fuzzing (test/http/fuzz.test.ts): each answered 503, which Jira retries for ever.
  it('a NUL byte in the body: 400 and audited, the NUL kept as U+FFFD', async () => {
    const body = '{"webhookEvent": "jira:issue_updated"\u0000}';
    const response = await postJiraWebhook(harness.baseUrl, body, { id: 'nul-byte' });
    expect(response.status).toBe(400);
    const audit = await db.prisma.webhookDelivery.findFirst({
      where: { source: 'jira', state: 'REJECTED', error: 'malformed JSON', rawBody: { contains: '\uFFFD' } },
    });
    expect(audit?.rawBody).toBe('{"webhookEvent": "jira:issue_updated"\uFFFD}');
  });

  it('an ignored delivery cut where an emoji straddles the cut, and a lone surrogate in its event name: kept', async () => {
    const named = JSON.stringify({ ...JSON.parse(statusChange), webhookEvent: 'jira:issue_updated\ud800' });
    // An ignored delivery keeps its first 2048 UTF-16 units: the emoji's halves sit at 2047 and 2048.
    const body = `{"pad":"${'x'.repeat(2047 - '{"pad":"'.length)}😀",${named.slice(1)}`;
    const response = await postJiraWebhook(harness.baseUrl, body, { id: 'cut-surrogate' });
    expect(response.status).toBe(202);
    const [row] = await deliveries('cut-surrogate');
    expect(row).toMatchObject({ state: 'IGNORED', event: 'jira:issue_updated\uFFFD' });
  });

  it('a \\u0000 escape in the issue id (a lookup value, not the body): kept as ignored, not a 503', async () => {
    const event = JSON.parse(statusChange) as { issue: Record<string, unknown> };
    const body = JSON.stringify({ ...event, issue: { ...event.issue, id: '1\u0000', key: 'INC-\u0000' } });
    const response = await postJiraWebhook(harness.baseUrl, body, { id: 'nul-escape' });
    expect(response.status).toBe(202);
    expect(await deliveries('nul-escape')).toEqual([expect.objectContaining({ state: 'IGNORED' })]);
  });

  it('JSON that is no Jira event: 400 with the reason, audited', async () => {
    const response = await postJiraWebhook(harness.baseUrl, { hello: 'world' }, { id: 'not-jira' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_payload' });
    expect(
      await db.prisma.webhookDelivery.count({ where: { source: 'jira', state: 'REJECTED' } }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('a retried delivery (same identifier) answers 200 "duplicate", never 409, and is recorded once', async () => {
    await postJiraWebhook(harness.baseUrl, statusChange, { id: 'retried' });
    const retry = await postJiraWebhook(harness.baseUrl, statusChange, { id: 'retried', retry: 1 });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ok: true, delivery: 'duplicate' });
    expect(await deliveries('retried')).toHaveLength(1);
  });

  it('without an identifier header, the body itself identifies the delivery', async () => {
    const body = fixtureText('jira/issue_updated-summary.json');
    expect((await postJiraWebhook(harness.baseUrl, body)).status).toBe(202);
    expect((await postJiraWebhook(harness.baseUrl, body)).status).toBe(200);
  });
});
