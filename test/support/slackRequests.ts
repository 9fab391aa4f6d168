import { createHmac } from 'node:crypto';

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

/** A slash command body, form-encoded like the real one in shared/fixtures. */
export function slashCommandBody(fields: Record<string, string>): string {
  return new URLSearchParams({
    token: 'XXXXXXXXXXXXXXXXXXXXXXXX',
    team_id: 'T0TEST',
    team_domain: 'example-workspace',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: 'U0REPORTER',
    user_name: 'sample.user',
    command: '/incident',
    text: '',
    api_app_id: 'A0TEST',
    response_url: 'http://127.0.0.1:9/commands/T0TEST/1/XXXX',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    ...fields,
  }).toString();
}

/** An interactive payload (view_submission, block_actions, shortcut) as Slack posts it. */
export function interactiveBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
