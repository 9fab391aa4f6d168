import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { findFreePort } from '../../src/db/embedded.js';
import { FakeSlack } from '../support/fakeSlack.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/**
 * Socket Mode end to end: Bolt asks the Slack API (SLACK_API_URL) for a socket URL, the fake
 * answers with a local WebSocket server, Slack says hello, sends a slash command envelope, and the bot acks it over
 * the socket. /healthz is still served over HTTP on PORT.
 */
let db: TestDatabase;
let harness: TestBot;
let server: WebSocketServer;
let socket: Promise<WebSocket>;
let port: number;

beforeAll(async () => {
  db = await createTestDatabase();
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  socket = new Promise((resolve) =>
    server.once('connection', (ws) => {
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0TEST' } }));
      resolve(ws);
    }),
  );
  const slack = await new FakeSlack().start();
  slack.on('apps.connections.open', () => ({
    ok: true,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`,
  }));
  port = await findFreePort();
  harness = await startTestBot(
    {
      DATABASE_URL: db.url,
      SLACK_APP_TOKEN: 'xapp-1-A0TEST-1-test',
      SLACK_SIGNING_SECRET: '',
      PORT: String(port),
    },
    { slack },
  );
});
afterAll(async () => {
  await harness.stop();
  server.close();
  await db.drop();
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('routes a slash command received over the socket and acks it there', async () => {
    const ws = await socket;
    const ack = new Promise<{ envelope_id: string; payload: { text: string } }>((resolve) =>
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { envelope_id?: string; payload: { text: string } };
        if (message.envelope_id === 'env-1')
          resolve(message as { envelope_id: string; payload: { text: string } });
      }),
    );
    ws.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          token: 'X',
          team_id: 'T0TEST',
          team_domain: 'example-workspace',
          channel_id: 'C0GENERAL',
          channel_name: 'general',
          user_id: 'U0REPORTER',
          user_name: 'sample.user',
          command: '/incident',
          text: 'help',
          api_app_id: 'A0TEST',
          response_url: 'http://127.0.0.1:9/commands/x',
          trigger_id: '1.2.3',
        },
      }),
    );
    const reply = await ack;
    expect(reply.payload.text).toContain('/incident open');
  });

  it('still serves /healthz over HTTP on PORT', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('the server of /jira/webhook and /healthz cuts slow clients off as in HTTP mode', () => {
    // Node's defaults would let a client trickle its headers for 60 s and its body for 300 s.
    expect(harness.bot.server).not.toBeNull();
    expect(harness.bot.server!.headersTimeout).toBe(10_000);
    expect(harness.bot.server!.requestTimeout).toBe(15_000);
  });
});
