import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createJiraClient } from '../../src/jira/client.js';
import { createJiraGateway } from '../../src/jira/gateway.js';
import { eventually } from '../support/eventually.js';
import { testLogger } from '../support/pgServer.js';

/** A Jira that takes the request and never answers. */
let server: http.Server;
let baseUrl: string;
let closedSockets = 0;
let received = 0;
beforeAll(async () => {
  server = http.createServer((request) => {
    received += 1;
    request.socket.on('close', () => (closedSockets += 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('a Jira call past its deadline', () => {
  it('fails as a retryable timeout and its request is aborted (the socket is closed, not left hanging)', async () => {
    const { env } = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-x',
      SLACK_SIGNING_SECRET: 's',
      JIRA_BASE_URL: baseUrl,
      JIRA_EMAIL: 'bot@example.com',
      JIRA_API_TOKEN: 't',
      JIRA_TIMEOUT_MS: '200',
    });
    const gateway = createJiraGateway(createJiraClient(env, testLogger())!, {
      baseUrl,
      email: env.JIRA_EMAIL,
    });
    await expect(gateway.myself()).rejects.toMatchObject({ code: 'JIRA_NETWORK_ERROR', retryable: true });
    // The server may parse the request after the client's deadline fired (a stalled loop).
    await eventually(
      async () => received,
      (count) => count === 1,
      5_000,
    );
    await eventually(
      async () => closedSockets,
      (closed) => closed === 1,
      5_000,
    );
  });
});
