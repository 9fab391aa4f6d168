import { run, type Runner, type TaskList, Logger as WorkerLogger, type LogLevel } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from '../logger.js';

export interface WorkerOptions {
  databaseUrl: string;
  taskList: TaskList;
  logger: Logger;
  concurrency: number;
  /** Fallback poll; new jobs normally start at once through LISTEN/NOTIFY. */
  pollIntervalMs: number;
}

export interface Worker {
  runner: Runner;
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
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const workerLogger = new WorkerLogger(() => (level, message, meta) => {
    options.logger[levelMap[level]]({ worker: meta }, message);
  });
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.concurrency + 2 });
  const onError = (error: Error) =>
    options.logger.warn({ err: error }, 'a job-queue database connection failed');
  pool.on('error', onError); // idle clients
  pool.on('connect', (client) => client.on('error', onError)); // clients in use
  const runner = await run({
    pgPool: pool,
    taskList: options.taskList,
    concurrency: options.concurrency,
    pollInterval: options.pollIntervalMs,
    noHandleSignals: true,
    logger: workerLogger,
  });
  return {
    runner,
    async stop() {
      await runner.stop();
      await pool.end();
    },
  };
}
