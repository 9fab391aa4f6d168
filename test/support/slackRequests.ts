import { createHmac } from 'node:crypto';
import { fixtureText } from './fixtures.js';

export const SIGNING_SECRET = 'test-signing-secret';

export function slackSignature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  secret?: string;
  timestamp?: number;
  contentType?: string;
  headers?: Record<string, string>;
}

/** POST a body to the bot's /slack/events, signed the way Slack signs it. */
export async function postSigned(
  baseUrl: string,
  body: string,
  options: SignedPostOptions = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(body, timestamp, options.secret),
      ...(options.headers ?? {}),
    },
    body,
  });
}

/**
 * A slash command body: the real form-encoded capture (fixtures/slack/slash_command.form.txt)
 * with our command, workspace and the given fields.
 */
let invocations = 0;

export function slashCommandBody(fields: Record<string, string>): string {
  const body = new URLSearchParams(fixtureText('slack/slash_command.form.txt').trim());
  const defaults: Record<string, string> = {
    team_id: 'T0TEST',
    channel_id: 'C0GENERAL',
    user_id: 'U0REPORTER',
    user_name: 'sample.user',
    command: '/incident',
    text: '',
    response_url: 'http://127.0.0.1:9/commands/T0TEST/1/XXXX',
    // Slack gives every invocation its own trigger id, so no two real requests sign the same.
    trigger_id: `${Date.now()}.${++invocations}.test`,
  };
  for (const [key, value] of Object.entries({ ...defaults, ...fields })) body.set(key, value);
  return body.toString();
}

/** An interactive payload (view_submission, block_actions, shortcut) as Slack posts it. */
export function interactiveBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
