import { App, HTTPReceiver, type CustomRoute } from '@slack/bolt';
import type { AppConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import { guardSlackRequests, type RejectedRequest } from '../http/slackRequestGuard.js';
import { boltLogger } from './boltLogger.js';

export interface SlackAppOptions {
  config: AppConfig;
  logger: Logger;
  /** Extra HTTP routes on the same port (/healthz, /jira/webhook). */
  routes: CustomRoute[];
  /** Known bot identity: skips the auth.test call at init (tests). */
  botUserId?: string;
  botId?: string;
  /** Audit record of signed requests refused for their shape. */
  auditRejected?: (rejected: RejectedRequest) => Promise<void>;
}

const SLACK_ENDPOINT = '/slack/events';

/**
 * Bolt on the HTTP receiver (`/slack/events` plus our routes on one port), or Socket Mode when
 * SLACK_APP_TOKEN is set (our routes then get their own HTTP server on PORT). Initialisation
 * (auth.test) is deferred to `app.init()` so a bad token is reported instead of crashing.
 */
export function createSlackApp(options: SlackAppOptions): App {
  const { env } = options.config;
  const logger = boltLogger(options.logger);
  const clientOptions = {
    ...(env.SLACK_API_URL ? { slackApiUrl: `${env.SLACK_API_URL}/` } : {}),
    // The client never repeats a call by itself: a POST whose answer was lost may have taken
    // effect (a message posted, a bookmark added), and only the job that made it can find out
    // (recorded intent, then a look at the channel) before trying again. Retrying is the job
    // system's business, with its back-off.
    retryConfig: { retries: 0 },
    // A 429 is thrown at once with its Retry-After (the job reschedules itself then) instead of
    // pausing the client's shared queue, which would hold every other call, modals included.
    rejectRateLimitedCalls: true,
    // A call that hangs frees its worker slot and its incident's queue; the job tries again.
    timeout: env.SLACK_TIMEOUT_MS,
  };
  const identity = options.botUserId ? { botUserId: options.botUserId, botId: options.botId ?? 'B0BOT' } : {};

  if (env.SLACK_APP_TOKEN) {
    return new App({
      token: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      socketMode: true,
      customRoutes: options.routes,
      installerOptions: { port: env.PORT },
      logger,
      clientOptions,
      deferInitialization: true,
      convoStore: false, // unused (see below)
      ...identity,
    });
  }
  const receiver = new HTTPReceiver({
    signingSecret: env.SLACK_SIGNING_SECRET ?? '',
    endpoints: SLACK_ENDPOINT,
    customRoutes: options.routes,
    processBeforeResponse: false,
    logger,
    unhandledRequestTimeoutMillis: 3001,
    // Our guard (below) has verified the signature of every request Bolt will route as an event
    // (it routes exactly as Bolt does: POST, URL-normalised path), with a stricter window and
    // replay refusal: a second HMAC here would only cost time on every ack.
    signatureVerification: false,
  });
  // Bolt's own checks let a future timestamp, a replay and some signed bodies through (one of
  // them crashed the process): our guard runs first, on the raw request.
  receiver.requestListener = guardSlackRequests(receiver.requestListener, {
    signingSecret: env.SLACK_SIGNING_SECRET ?? '',
    logger: options.logger.child({ component: 'slack-guard' }),
    endpoints: [SLACK_ENDPOINT],
    ...(options.auditRejected ? { audit: options.auditRejected } : {}),
  });
  return new App({
    token: env.SLACK_BOT_TOKEN,
    receiver,
    logger,
    clientOptions,
    deferInitialization: true,
    // Bolt's conversation store is unused here, and costs every request a thrown
    // "Conversation not found" (a stack trace each time).
    convoStore: false,
    ...identity,
  });
}
