import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { PrismaClient } from '../db/prisma.js';
import { recordJiraDelivery, recordRejectedDelivery } from '../db/repositories/deliveries.js';
import { settleWithin } from '../deadline.js';
import { storableText } from '../domain/userText.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { deliveryEnvelopeSchema, parseDeliveryJson } from '../sync/inbound/deliveryPayload.js';
import { deny, readBody } from './body.js';
import { sendJson } from './json.js';

export interface JiraWebhookOptions {
  prisma: PrismaClient;
  /** JIRA_WEBHOOK_SECRET; unset → every delivery is refused. */
  secret: string | undefined;
  maxBytes: number;
  logger: Logger;
  /** How long the route waits for the database before answering 503 (Jira then retries). */
  databaseDeadlineMs?: number;
}

/**
 * A database that stopped answering (frozen, or cut off without a reset) must not hold Jira's
 * request, and the body in memory, for ever: Jira retries a timeout, so hung requests would pile
 * up. Past this, the answer is 503 and Jira retries later.
 */
export const DATABASE_DEADLINE_MS = 5_000;

/** `sha256=<64 hex>`; the algorithm name in any case (Jira and the reference accept both). */
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

const header = (request: IncomingMessage, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function signatureMatches(secret: string, body: Buffer, hex: string): boolean {
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * POST /jira/webhook: verify, record once, enqueue, answer — in milliseconds, applying nothing
 * here. The signature header is checked before any body is read; the body is capped; the
 * delivery is recorded once per `X-Atlassian-Webhook-Identifier` (a retry of it answers 200
 * and is not applied again — never 409, which Jira would retry) in the same transaction as its
 * job, which runs in the incident's Jira queue. A database outage answers 503 so Jira retries.
 */
export function jiraWebhookRoute(options: JiraWebhookOptions): CustomRoute {
  const { prisma, logger } = options;
  const deadlineMs = options.databaseDeadlineMs ?? DATABASE_DEADLINE_MS;
  const stored = <T>(work: Promise<T>) =>
    settleWithin(work, deadlineMs, () => {
      throw new AppError('DB_UNAVAILABLE', `the database did not answer within ${deadlineMs} ms`, {
        retryable: true,
      });
    });
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const signature = SIGNATURE.exec(header(request, 'x-hub-signature') ?? '');
    if (!options.secret) {
      return deny(response, 401, 'webhook_secret_not_configured', 'Set JIRA_WEBHOOK_SECRET on the bot.');
    }
    if (!signature) return deny(response, 401, 'invalid_signature');
    const body = await readBody(request, options.maxBytes);
    if (body === 'aborted') return;
    if (body === 'too_large') return deny(response, 413, 'body_too_large');
    if (!signatureMatches(options.secret, body, signature[1]!))
      return deny(response, 401, 'invalid_signature');

    const rawBody = body.toString('utf8');
    const headers = {
      'x-atlassian-webhook-identifier': header(request, 'x-atlassian-webhook-identifier'),
      'x-atlassian-webhook-retry': header(request, 'x-atlassian-webhook-retry'),
      'user-agent': header(request, 'user-agent'),
    };
    let json: unknown;
    try {
      json = parseDeliveryJson(rawBody);
    } catch {
      await stored(
        recordRejectedDelivery(prisma, { source: 'jira', reason: 'malformed JSON', headers, rawBody }),
      );
      return deny(response, 400, 'malformed_json');
    }
    const envelope = deliveryEnvelopeSchema.safeParse(json);
    if (!envelope.success) {
      const reason = `not a Jira webhook: ${envelope.error.issues[0]?.message ?? 'bad shape'}`;
      await stored(recordRejectedDelivery(prisma, { source: 'jira', reason, headers, rawBody }));
      return deny(response, 400, 'invalid_payload', reason);
    }
    const deliveryId =
      storableText(headers['x-atlassian-webhook-identifier']?.trim() ?? '') ||
      `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const accepted = await stored(
      recordJiraDelivery(prisma, {
        deliveryId,
        headers,
        rawBody,
        event: envelope.data.webhookEvent,
        issue: envelope.data.issue,
      }),
    );
    sendJson(response, accepted ? 202 : 200, { ok: true, delivery: accepted ? 'accepted' : 'duplicate' });
  };
  return {
    path: '/jira/webhook',
    method: ['POST'],
    handler: (request, response) => {
      handle(request, response).catch((error: unknown) => {
        logger.error({ err: error }, 'Jira webhook could not be recorded');
        if (!response.headersSent) sendJson(response, 503, { error: 'unavailable', message: 'try again' });
      });
    },
  };
}
