import { createHmac } from 'node:crypto';
import type { JiraWebhook } from './fakeJiraSync.js';

export const WEBHOOK_SECRET = 'jira-webhook-secret';

/** `X-Hub-Signature` as Jira computes it for an admin webhook with a secret. */
export const jiraSignature = (body: string, secret = WEBHOOK_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** POST a body to the bot's /jira/webhook, signed unless told otherwise. */
export async function postJiraWebhook(
  baseUrl: string,
  body: string | Record<string, unknown>,
  options: { id?: string; signature?: string | null; retry?: number } = {},
): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = options.signature === undefined ? jiraSignature(text) : options.signature;
  return fetch(`${baseUrl}/jira/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature': signature }),
      ...(options.id ? { 'x-atlassian-webhook-identifier': options.id } : {}),
      ...(options.retry ? { 'x-atlassian-webhook-retry': String(options.retry) } : {}),
    },
    body: text,
  });
}

/** Deliver a webhook the fake Jira queued, as Jira would (same identifier on every retry). */
export async function deliver(baseUrl: string, webhook: JiraWebhook): Promise<Response> {
  const response = await postJiraWebhook(baseUrl, webhook.body, { id: webhook.id });
  if (response.status >= 300)
    throw new Error(`delivery ${webhook.id} answered ${response.status}: ${await response.text()}`);
  return response;
}
