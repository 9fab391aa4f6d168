import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtureText } from '../support/fixtures.js';
import { postJiraWebhook } from '../support/jiraWebhooks.js';
import { startSyncBot } from '../support/syncHarness.js';
import { proxyDatabase, type TcpProxy } from '../support/tcpProxy.js';
import type { TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/**
 * The database stops answering without closing anything (a hung server, a network dropping
 * packets): no error ever comes, only a deadline notices. Jira's requests must not hang (Jira
 * retries a timeout, so hung requests and their bodies would pile up): they get 503 in bounded
 * time, and the delivery is recorded exactly once when the database answers again.
 */
let db: TestDatabase;
let proxy: TcpProxy;
let harness: TestBot;

beforeAll(async () => {
  db = await createTestDatabase();
  const proxied = await proxyDatabase(db.url);
  proxy = proxied.proxy;
  harness = await startSyncBot({ ...db, url: proxied.url });
});
afterAll(async () => {
  proxy.thaw();
  await harness.stop();
  await proxy.stop();
  await db.drop();
});

const statusChange = fixtureText('jira/issue_updated-status.json');

it('a database that stops answering: webhooks and /healthz get 503 in bounded time; recorded once after', async () => {
  expect((await postJiraWebhook(harness.baseUrl, statusChange, { id: 'before-freeze' })).status).toBe(202);

  proxy.freeze();
  const refused = await postJiraWebhook(harness.baseUrl, statusChange, { id: 'during-freeze' });
  expect(refused.status).toBe(503);
  expect((await fetch(`${harness.baseUrl}/healthz`)).status).toBe(503);

  proxy.thaw();
  // Jira retries the same delivery; the first attempt may have been written once the database
  // answered again: either way it is recorded once.
  const retried = await postJiraWebhook(harness.baseUrl, statusChange, { id: 'during-freeze' });
  expect([200, 202]).toContain(retried.status);
  expect(
    await db.prisma.webhookDelivery.count({ where: { source: 'jira', deliveryId: 'during-freeze' } }),
  ).toBe(1);
});
