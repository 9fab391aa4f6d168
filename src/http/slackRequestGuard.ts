import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { checkSlackRequestShape } from '../slack/requestShape.js';
import { deny, readBody } from './body.js';
import { ReplayGuard } from './replayGuard.js';

/** Slack's signing window, both ways: a request from the future is as suspect as an old one. */
export const SIGNATURE_WINDOW_SECONDS = 300;
/** Slack's largest payloads (a modal's full state) are far below this. */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

export interface RejectedRequest {
  status: number;
  reason: string;
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export interface SlackGuardOptions {
  signingSecret: string;
  logger: Logger;
  /** Paths Bolt serves Slack on; every other request passes through untouched. */
  endpoints: readonly string[];
  /** Keeps an audit record of signed requests refused for their content (never blocks). */
  audit?: (rejected: RejectedRequest) => Promise<void>;
  now?: () => number;
}

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * Everything a Slack request must pass before Bolt sees it: signature headers present and
 * well-formed (no body is read otherwise), a timestamp within five minutes either way, a body
 * under the limit, a valid HMAC, a signature not seen before in the window, and a body of a
 * shape Bolt can handle. The checked body is handed to Bolt as `rawBody`, which Bolt uses as is.
 */
export function guardSlackRequests(listener: RequestListener, options: SlackGuardOptions): RequestListener {
  const replays = new ReplayGuard(SIGNATURE_WINDOW_SECONDS * 1000);
  const now = options.now ?? Date.now;
  const secret = options.signingSecret;

  const check = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const signature = request.headers['x-slack-signature'];
    const timestamp = request.headers['x-slack-request-timestamp'];
    if (
      typeof signature !== 'string' ||
      !SIGNATURE.test(signature) ||
      typeof timestamp !== 'string' ||
      !TIMESTAMP.test(timestamp)
    ) {
      options.logger.warn(
        { path: request.url },
        'Slack request without well-formed signature headers refused',
      );
      return deny(response, 401, 'invalid_signature_headers');
    }
    const skew = Math.abs(now() / 1000 - Number(timestamp));
    if (skew > SIGNATURE_WINDOW_SECONDS) {
      options.logger.warn(
        { skewSeconds: Math.round(skew) },
        'Slack request outside the signing window refused',
      );
      return deny(response, 401, 'stale_or_future_timestamp');
    }
    const body = await readBody(request, SLACK_BODY_LIMIT_BYTES);
    if (body === 'aborted') return; // the client went away: nobody to answer
    if (body === 'too_large') return deny(response, 413, 'body_too_large');
    const expected = Buffer.from(
      `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`,
    );
    if (!timingSafeEqual(expected, Buffer.from(signature))) {
      options.logger.warn('Slack request with a wrong signature refused');
      return deny(response, 401, 'invalid_signature');
    }
    if (!replays.firstSighting(signature, now())) {
      options.logger.warn('replayed Slack request refused');
      return deny(response, 401, 'replayed_request');
    }
    const rawBody = body.toString('utf8');
    const shape = checkSlackRequestShape(rawBody, request.headers['content-type']);
    if (!shape.ok) {
      options.logger.warn({ reason: shape.reason }, 'signed Slack request of an unexpected shape refused');
      deny(response, 400, 'malformed_payload');
      void options
        .audit?.({
          status: 400,
          reason: shape.reason,
          headers: {
            'content-type': request.headers['content-type'],
            'x-slack-request-timestamp': timestamp,
            'x-slack-retry-num': request.headers['x-slack-retry-num'] as string | undefined,
          },
          rawBody,
        })
        .catch((error: unknown) => options.logger.warn({ err: error }, 'could not audit a refused request'));
      return;
    }
    (request as IncomingMessage & { rawBody: Buffer }).rawBody = body;
    listener(request, response);
  };

  return (request, response) => {
    // The path exactly as Bolt routes it (URL-normalised: `/slack/./events`, `/x/../slack/events`
    // and absolute forms all reach Bolt as /slack/events), so no variant slips past the guard.
    let path: string;
    try {
      path = new URL(request.url ?? '/', 'http://localhost').pathname;
    } catch {
      deny(response, 400, 'bad_request');
      return;
    }
    if (request.method?.toUpperCase() !== 'POST' || !options.endpoints.includes(path)) {
      listener(request, response);
      return;
    }
    check(request, response).catch((error: unknown) => {
      // A client that drops mid-body lands here too: a warning, not an alarm.
      options.logger.warn({ err: error }, 'Slack request could not be read');
      deny(response, 500, 'internal_error');
    });
  };
}
