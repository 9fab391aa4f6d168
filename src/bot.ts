import type { Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { AppConfig } from './config/index.js';
import { openDatabase, type Database } from './db/database.js';
import { installationMarkerId } from './db/repositories/installation.js';
import { loadReferenceData } from './db/repositories/referenceData.js';
import type { AppDeps } from './deps.js';
import { AppError } from './errors.js';
import { databaseProbe, healthRoute, type WorkerState } from './http/health.js';
import { jiraWebhookRoute } from './http/jiraWebhookRoute.js';
import { recordRejectedDelivery } from './db/repositories/deliveries.js';
import { createJiraClient } from './jira/client.js';
import { createJiraGateway } from './jira/gateway.js';
import type { TaskDefinition } from './jobs/defineTask.js';
import { buildTaskList } from './jobs/taskList.js';
import { TaskIds } from './jobs/taskIds.js';
import { tasks as defaultTasks } from './jobs/tasks/index.js';
import { enqueueMissingTickets } from './jobs/reconcileTickets.js';
import { startWorker, type Worker } from './jobs/worker.js';
import type { Logger } from './logger.js';
import { createSlackApp } from './slack/app.js';
import {
  checkPostMortemTemplates,
  defaultPostMortemTemplates,
  postMortemTemplates,
} from './postmortem/templates.js';
import { registerListeners } from './slack/listeners/index.js';
import { asSlackError } from './slack/slackErrors.js';
import { startupSummary } from './startupSummary.js';

export interface BotOptions {
  config: AppConfig;
  logger: Logger;
  /** Known bot identity: skips auth.test (tests). */
  slackIdentity?: { botUserId: string; botId: string };
  /** Cron lines for the worker; '' turns the clock off (tests drive scans themselves). */
  crontab?: string;
  /** Task set to run (tests add their own). */
  tasks?: readonly TaskDefinition<AppDeps>[];
  /**
   * Something the bot cannot live without is gone for good (the embedded database could not be
   * restarted, the job worker stopped on its own). main.ts exits non-zero so a supervisor
   * restarts the process; never sit half-alive. Default: log only.
   */
  onFatal?: (error: AppError) => void;
}

export interface RunningBot {
  port: number;
  /** The server of /slack/events (HTTP mode), /jira/webhook and /healthz. */
  server: Server | null;
  deps: AppDeps;
  database: Database;
  app: App;
  worker: Worker;
  stop(): Promise<void>;
}

/** Tries of auth.test at start when Slack does not answer (the client itself never retries). */
const SLACK_INIT_TRIES = 3;

/**
 * auth.test at start: a refused token stops the start at once and says so; Slack not answering
 * (network, 5xx, 429) is tried again a few times first, since a blip must not fail a deploy.
 */
async function initSlack(app: App, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await app.init();
      return;
    } catch (thrown) {
      const error = asSlackError(thrown, 'auth.test');
      const why = error.details.slackError ?? error.message;
      if (!error.retryable) {
        throw new AppError('SLACK_API_ERROR', `Slack rejected the bot token (auth.test: ${why})`, {
          cause: thrown,
          userMessage: `Slack rejected SLACK_BOT_TOKEN (auth.test: ${why}). Check the token and SLACK_API_URL.`,
        });
      }
      if (attempt >= SLACK_INIT_TRIES) {
        throw new AppError('SLACK_NETWORK_ERROR', `Slack did not answer at start (auth.test: ${why})`, {
          cause: thrown,
          userMessage: `Slack did not answer auth.test ${attempt} times (${why}). Check the network and SLACK_API_URL.`,
        });
      }
      const waitMs = Math.max(error.retryAfterMs ?? 0, 1000 * attempt);
      logger.warn({ code: error.code, attempt, waitMs }, 'Slack did not answer auth.test; trying again');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/**
 * Slack answers within 3 s and sends small bodies: a client that trickles its headers or body
 * for minutes is not Slack, and must not hold a socket that long (Node allows 60 s / 300 s).
 */
function limitSlowClients(server: Server): void {
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
}

/**
 * The HTTP server of a started app: HTTP mode returns it from start() (its real port, when
 * PORT=0); Socket Mode returns the socket session and serves our routes (/jira/webhook,
 * /healthz) on a server of its receiver, which needs the same limits.
 */
function httpServerOf(app: App, started: unknown): Server | null {
  const isServer = (candidate: unknown): candidate is Server =>
    typeof (candidate as Server | undefined)?.address === 'function';
  if (isServer(started)) return started;
  const routes = (app as unknown as { receiver?: { httpServer?: unknown } }).receiver?.httpServer;
  return isServer(routes) ? routes : null;
}

/**
 * The clock: reminders (a scan every minute; each reminder is its own keyed job), the Jira
 * reconcile every JIRA_RECONCILE_INTERVAL_MINUTES (`max=1`: a failed pass is not retried, the
 * next one comes anyway), and the daily prune of old deliveries and sync marks.
 */
function defaultCrontab(config: AppConfig, jiraConfigured: boolean): string {
  const minutes = config.env.JIRA_RECONCILE_INTERVAL_MINUTES;
  return [
    `* * * * * ${TaskIds.scanReminders}`,
    ...(jiraConfigured && minutes > 0 ? [`*/${minutes} * * * * ${TaskIds.reconcileJiraSync} ?max=1`] : []),
    `17 3 * * * ${TaskIds.pruneSyncRecords} ?max=3`,
  ].join('\n');
}

/**
 * The composition root: database (embedded or DATABASE_URL) → migrations and reference data →
 * Slack app (auth.test) → job worker → HTTP. Returns a handle that stops everything in order.
 */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  // A broken template stops the bot here, naming its file, never an incident's post-mortem later.
  const templates = postMortemTemplates(
    config.mapping.postMortem.templatesDir
      ? path.resolve(config.mapping.postMortem.templatesDir)
      : defaultPostMortemTemplates,
  );
  checkPostMortemTemplates(templates);
  const onFatal =
    options.onFatal ?? ((error: AppError) => logger.fatal({ err: error, code: error.code }, error.message));
  const database = await openDatabase(config, logger, { onDatabaseLost: onFatal });
  let workerState: WorkerState = 'starting';
  let worker: Worker | undefined;
  let app: App | undefined;
  try {
    app = createSlackApp({
      config,
      logger,
      routes: [
        healthRoute(
          {
            databaseUp: databaseProbe(() => database.prisma.$queryRaw`select 1`),
            workerState: () => workerState,
          },
          logger,
        ),
        jiraWebhookRoute({
          prisma: database.prisma,
          secret: config.env.JIRA_WEBHOOK_SECRET,
          maxBytes: config.env.JIRA_WEBHOOK_MAX_BYTES,
          logger,
        }),
      ],
      auditRejected: (rejected) => recordRejectedDelivery(database.prisma, { source: 'slack', ...rejected }),
      ...(options.slackIdentity ?? {}),
    });
    await initSlack(app, logger);
    const jiraClient = createJiraClient(config.env, logger);
    const jira = jiraClient
      ? createJiraGateway(jiraClient, { baseUrl: config.env.JIRA_BASE_URL!, email: config.env.JIRA_EMAIL })
      : undefined;
    if (!jira) logger.warn('Jira is not configured (JIRA_BASE_URL unset): ticket jobs will wait until it is');
    const reference = await loadReferenceData(database.prisma);
    const installation = { markerId: await installationMarkerId(database.prisma) };
    const deps: AppDeps = {
      config,
      logger,
      prisma: database.prisma,
      reference,
      installation,
      slack: app.client,
      jira,
      postMortemTemplates: templates,
    };
    registerListeners(app, deps);
    app.error(async (error) => {
      logger.error({ err: error, code: (error as { code?: string }).code }, 'unhandled Slack listener error');
    });

    worker = await startWorker({
      databaseUrl: database.url,
      taskList: buildTaskList(options.tasks ?? defaultTasks, deps, logger),
      logger: logger.child({ component: 'worker' }),
      concurrency: config.env.WORKER_CONCURRENCY,
      pollIntervalMs: config.env.WORKER_POLL_INTERVAL_MS,
      heartbeatIntervalMs: config.env.WORKER_HEARTBEAT_INTERVAL_MS,
      heartbeatTimeoutMs: config.env.WORKER_HEARTBEAT_TIMEOUT_MS,
      soleWorkerProcess: database.embedded !== undefined,
      crontab: options.crontab ?? defaultCrontab(config, Boolean(jira)),
    });
    workerState = 'running';
    if (jira) await enqueueMissingTickets(database.prisma, logger);
    // The runner only ends by itself when something broke (e.g. a job's result could not be
    // written while the database was down): without it nothing is sent, so that is fatal.
    const unexpectedStop = (error?: unknown) => {
      const wasRunning = workerState === 'running';
      workerState = 'stopped';
      if (wasRunning) {
        onFatal(new AppError('WORKER_STOPPED', 'the job worker stopped on its own', { cause: error }));
      }
    };
    worker.runner.promise.then(
      () => unexpectedStop(),
      (error: unknown) => unexpectedStop(error),
    );

    const server = httpServerOf(app, await app.start(config.env.PORT));
    if (server) limitSlowClients(server);
    const address = server?.address() ?? null;
    const port = typeof address === 'object' && address ? (address as AddressInfo).port : config.env.PORT;
    logger.info(startupSummary(config), 'running with');
    logger.info({ port, socketMode: Boolean(config.env.SLACK_APP_TOKEN) }, 'incident bot is up');

    const runningApp = app;
    const runningWorker = worker;
    return {
      port,
      server,
      deps,
      database,
      app: runningApp,
      worker: runningWorker,
      async stop() {
        await runningApp
          .stop()
          .catch((error: unknown) => logger.warn({ err: error }, 'stopping HTTP failed'));
        workerState = 'stopping';
        await runningWorker
          .stop()
          .catch((error: unknown) => logger.warn({ err: error }, 'stopping worker failed'));
        workerState = 'stopped';
        await database.close();
        logger.info('incident bot stopped');
      },
    };
  } catch (error) {
    // Stopping the worker of a failed start is not the worker stopping on its own: without
    // this, the runner's end would be reported as WORKER_STOPPED and hide the real cause.
    workerState = 'stopping';
    await worker?.stop().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}
