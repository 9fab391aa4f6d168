import { run, type Runner, type TaskList, Logger as WorkerLogger, type LogLevel } from 'graphile-worker';
import type { Logger } from '../logger.js';

export interface WorkerOptions {
  databaseUrl: string;
  taskList: TaskList;
  logger: Logger;
  concurrency: number;
  /** Fallback poll; new jobs normally start at once through LISTEN/NOTIFY. */
  pollIntervalMs: number;
}

const levelMap: Record<LogLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  error: 'error',
  warning: 'warn',
  info: 'debug',
  debug: 'debug',
};

/** graphile-worker inside the bot process, on the bot's database; installs its schema on start. */
export async function startWorker(options: WorkerOptions): Promise<Runner> {
  const workerLogger = new WorkerLogger(() => (level, message, meta) => {
    options.logger[levelMap[level]]({ worker: meta }, message);
  });
  return run({
    connectionString: options.databaseUrl,
    taskList: options.taskList,
    concurrency: options.concurrency,
    pollInterval: options.pollIntervalMs,
    noHandleSignals: true,
    logger: workerLogger,
  });
}
