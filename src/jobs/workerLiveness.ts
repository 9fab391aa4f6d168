import type { Logger } from '../logger.js';
import { pruneHeartbeats, releaseDeadWorkerLocks, releaseOrphanedOwnLocks } from './deadWorkerLocks.js';
import { beat, forget, type Queryable } from './workerHeartbeat.js';

export interface LivenessOptions {
  db: Queryable;
  /** The worker ids this process runs right now. */
  ownWorkerIds: () => readonly string[];
  /** The job ids whose task functions this process is executing right now. */
  runningJobIds: () => readonly string[];
  intervalMs: number;
  timeoutMs: number;
  /** First sweep releases every foreign lock (see ReleaseOptions.everyForeignLock). */
  soleWorkerProcess: boolean;
  logger: Logger;
}

export interface Liveness {
  /** Stop the loop and remove our heartbeats (call before the pool closes). */
  stop(): Promise<void>;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Every `intervalMs`: refresh this process's heartbeats, release the jobs our own workers left
 * locked without running them (a result lost to a database outage), then release the locks of
 * dead workers.
 * The first round runs at once, so jobs a killed run left locked start again right after a
 * restart. A failing round (database restarting) is logged and retried on the next tick.
 */
export function startWorkerLiveness(options: LivenessOptions): Liveness {
  const { db, logger } = options;
  let first = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failing = false;
  /** Since when our own heartbeats have been landing without a break. */
  let beatingSince: number | undefined;

  /**
   * Judging others dead needs a full timeout of our own heartbeats landing: after an outage of
   * the database every replica's heartbeat looks stale, and the first one back must not release
   * jobs its peers are still running. The embedded database's first sweep is the exception: no
   * other process can be running workers there.
   */
  const mayJudgeOthers = () =>
    (first && options.soleWorkerProcess) ||
    (beatingSince !== undefined && Date.now() - beatingSince >= options.timeoutMs);

  const round = async () => {
    await beat(db, options.ownWorkerIds());
    beatingSince ??= Date.now();
    const orphaned = await releaseOrphanedOwnLocks(db, {
      ownWorkerIds: options.ownWorkerIds(),
      runningJobIds: options.runningJobIds(),
      olderThanMs: Math.max(2 * options.intervalMs, 1000),
    });
    if (orphaned > 0) {
      logger.warn({ jobs: orphaned }, 'released jobs left locked when their result could not be written');
    }
    if (mayJudgeOthers()) {
      const released = await releaseDeadWorkerLocks(db, {
        ownWorkerIds: options.ownWorkerIds(),
        timeoutMs: options.timeoutMs,
        everyForeignLock: first && options.soleWorkerProcess,
      });
      if (released.length > 0) {
        logger.warn({ workers: released }, 'released the job locks of dead workers; their jobs run again');
      }
    }
    if (first) await pruneHeartbeats(db, Math.max(dayMs, options.timeoutMs * 10));
    first = false;
  };

  const tick = () => {
    running = round()
      .then(() => {
        if (failing) logger.info('worker heartbeat is back');
        failing = false;
      })
      .catch((error: unknown) => {
        if (!failing) logger.warn({ err: error }, 'worker heartbeat failed; retrying');
        failing = true;
        beatingSince = undefined;
      })
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref();
      });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await forget(db, options.ownWorkerIds()).catch((error: unknown) =>
        logger.warn({ err: error }, 'could not remove worker heartbeats'),
      );
    },
  };
}
