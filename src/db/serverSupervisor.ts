import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface SupervisorOptions {
  /** The running server. */
  first: ChildProcess;
  /** Start a replacement (resolves once it accepts connections). */
  restart(): Promise<ChildProcess>;
  /** Restarts tried, with back-off, before giving up. */
  attempts: number;
  /** First back-off; doubles on each try. Also gives a killed server's backends time to exit. */
  baseDelayMs?: number;
  /**
   * A restarted server that dies again within this long counts against the same budget of
   * attempts: a server that crashes right after every restart (disk full, corruption) must end
   * in `onGiveUp`, not in an endless loop. Default 5 minutes.
   */
  stableAfterMs?: number;
  logger: Logger;
  /** Details for the log when the server dies (e.g. its last output). */
  describe?(): Record<string, unknown>;
  /** The server is gone for good: the process must exit rather than sit half-alive. */
  onGiveUp(error: AppError): void;
}

export interface Supervisor {
  /** Stop supervising (wait for a restart in progress) and fast-shutdown the current server. */
  stop(): Promise<void>;
}

/** Fast shutdown (SIGINT); escalate to immediate shutdown if it takes more than 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const escalate = setTimeout(() => child.kill('SIGQUIT'), 15_000);
    child.once('exit', () => {
      clearTimeout(escalate);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/**
 * Keep a server process alive: when it exits without being asked to (killed, disk full), start
 * it again with back-off; after `attempts` failures call `onGiveUp`. Clients keep their URL (the
 * port does not change), so their pools reconnect once it is back.
 */
export function superviseServer(options: SupervisorOptions): Supervisor {
  const { logger } = options;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  let current = options.first;
  let stopping = false;
  let recovery: Promise<void> | undefined;
  const abort = new AbortController();

  // Last resort if the process exits without calling stop(): never leave a server behind.
  const killOnExit = () => current.kill('SIGINT');
  process.once('exit', killOnExit);

  const stableAfterMs = options.stableAfterMs ?? 5 * 60_000;
  /** Restarts used since the server last stayed up for `stableAfterMs`. */
  let used = 0;
  let lastRestartAt = 0;

  const recover = async () => {
    if (Date.now() - lastRestartAt >= stableAfterMs) used = 0;
    for (let attempt = used + 1; attempt <= options.attempts; attempt += 1) {
      used = attempt;
      // Aborted by stop(): no need to wait out the back-off.
      const waited = await delay(baseDelayMs * 2 ** (attempt - 1), true, { signal: abort.signal }).catch(
        () => false,
      );
      if (!waited || stopping) return;
      try {
        current = await options.restart();
        lastRestartAt = Date.now();
        watch(current);
        logger.warn({ attempt }, 'embedded PostgreSQL restarted');
        return;
      } catch (error) {
        logger.error(
          { err: error, attempt, of: options.attempts, ...options.describe?.() },
          'restarting embedded PostgreSQL failed',
        );
      }
    }
    if (stopping) return;
    options.onGiveUp(
      new AppError(
        'EMBEDDED_DB_FAILED',
        `embedded PostgreSQL died and could not be restarted (${options.attempts} attempts)`,
        { details: options.describe?.() ?? {} },
      ),
    );
  };

  function watch(child: ChildProcess): void {
    child.once('exit', (code, signal) => {
      if (stopping || child !== current) return;
      logger.error(
        { code, signal, ...options.describe?.() },
        'embedded PostgreSQL exited unexpectedly; restarting it',
      );
      recovery = recover().finally(() => (recovery = undefined));
    });
  }
  watch(current);

  return {
    async stop() {
      stopping = true;
      abort.abort();
      process.removeListener('exit', killOnExit);
      await recovery;
      await stopChild(current);
    },
  };
}
