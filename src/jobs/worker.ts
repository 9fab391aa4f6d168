import { EventEmitter } from 'node:events';
import {
  run,
  runMigrations,
  type Runner,
  type TaskList,
  Logger as WorkerLogger,
  type LogLevel,
  type WorkerEvents,
} from 'graphile-worker';
import { createOwnedPool } from '../db/pgPool.js';
import type { Logger } from '../logger.js';
import { installQueueWakeup } from './queueWakeup.js';
import { startWorkerLiveness } from './workerLiveness.js';

export interface WorkerOptions {
  databaseUrl: string;
  taskList: TaskList;
  logger: Logger;
  concurrency: number;
  /** Fallback poll; new jobs normally start at once through LISTEN/NOTIFY. */
  pollIntervalMs: number;
  /** Heartbeat period; also how often dead workers' locks are looked for (the bot passes config). */
  heartbeatIntervalMs?: number;
  /** Silence after which a worker counts as dead and its locks are released. */
  heartbeatTimeoutMs?: number;
  /**
   * No other process can run workers on this database (the bot's own embedded server): every
   * lock found at start belongs to a dead run and is released at once.
   */
  soleWorkerProcess?: boolean;
  /** graphile-worker crontab lines (e.g. the reminder scan). */
  crontab?: string;
}

export interface Worker {
  runner: Runner;
  /** The graphile-worker worker (and pool) ids of this process: what its locks are held as. */
  workerIds(): readonly string[];
  /** Let running jobs finish, then close the worker's connections. */
  stop(): Promise<void>;
}

const levelMap: Record<LogLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  error: 'error',
  warning: 'warn',
  info: 'debug',
  debug: 'debug',
};

/**
 * graphile-worker inside the bot process, on the bot's database; installs its schema on start.
 * It runs on a pool we own, so a connection the server drops (restart, shutdown) is logged, not
 * an unhandled 'error' event that kills the process, and the pool is closed after the runner.
 * Each worker id gets a heartbeat, and locks of workers without one are released (see
 * workerLiveness.ts): graphile-worker alone keeps a killed worker's jobs locked for 4 hours.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const workerLogger = new WorkerLogger(() => (level, message, meta) => {
    options.logger[levelMap[level]]({ worker: meta }, message);
  });
  const owned = createOwnedPool({
    connectionString: options.databaseUrl,
    max: options.concurrency + 3, // + LISTEN, + heartbeat
    onError: (error) => options.logger.warn({ err: error }, 'a job-queue database connection failed'),
  });
  const pool = owned.pool;
  // Collected from events passed in before run(), so ids are known before any job is locked.
  const ids = new Set<string>();
  const events: WorkerEvents = new EventEmitter();
  events.on('pool:create', ({ workerPool }) => ids.add(workerPool.id));
  events.on('worker:create', ({ worker }) => ids.add(worker.workerId));
  // graphile-worker's schema first (run() would do it too), so the queue wake-up trigger is in
  // place before the first job runs.
  await runMigrations({ pgPool: pool, logger: workerLogger });
  await installQueueWakeup(pool);
  // Which jobs this process is executing right now: a lock of ours on any other job is an
  // orphan (see releaseOrphanedOwnLocks).
  const running = new Set<string>();
  const taskList: TaskList = {};
  for (const [id, task] of Object.entries(options.taskList)) {
    if (!task) continue;
    taskList[id] = async (payload, helpers) => {
      running.add(String(helpers.job.id));
      try {
        return await task(payload, helpers);
      } finally {
        running.delete(String(helpers.job.id));
      }
    };
  }
  const runner = await run({
    events,
    pgPool: pool,
    taskList,
    concurrency: options.concurrency,
    pollInterval: options.pollIntervalMs,
    noHandleSignals: true,
    ...(options.crontab ? { crontab: options.crontab } : {}),
    logger: workerLogger,
  });
  const liveness = startWorkerLiveness({
    db: pool,
    ownWorkerIds: () => [...ids],
    runningJobIds: () => [...running],
    intervalMs: options.heartbeatIntervalMs ?? 10_000,
    timeoutMs: options.heartbeatTimeoutMs ?? 40_000,
    soleWorkerProcess: options.soleWorkerProcess ?? false,
    logger: options.logger,
  });
  return {
    runner,
    workerIds: () => [...ids],
    async stop() {
      // Runner first (running jobs finish and release their locks), then the heartbeats, then
      // the pool: nothing may still be using a connection when it closes. The pool closes even
      // when the runner had already stopped on its own (its stop() then throws).
      try {
        await runner.stop();
      } finally {
        await liveness.stop();
        await owned.end();
      }
    },
  };
}
