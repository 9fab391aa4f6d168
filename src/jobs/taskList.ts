import type { JobHelpers, TaskList } from 'graphile-worker';
import { AppError, asAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TaskContext, TaskDefinition } from './defineTask.js';
import { addJobDespiteKeyRace } from './enqueue.js';

/**
 * Attempts a job used before it was rescheduled by hand (Retry-After): graphile-worker starts a
 * re-added job at 0 attempts, so the count travels in the payload under this reserved key.
 */
export const CARRIED_ATTEMPTS = '__attemptsSoFar';
/** A Retry-After of 0 (or none) must not become a tight loop… */
export const RESCHEDULE_FLOOR_MS = 2_000;
/** …and a Retry-After of a day must not park an incident's ticket that long. */
export const RESCHEDULE_CAP_MS = 15 * 60_000;

/** When to come back: what the service asked, but at least an exponential floor, at most the cap. */
export function rescheduleDelayMs(retryAfterMs: number, attempt: number): number {
  const floor = Math.min(RESCHEDULE_FLOOR_MS * 2 ** Math.max(0, attempt - 1), RESCHEDULE_CAP_MS);
  return Math.min(Math.max(retryAfterMs, floor), RESCHEDULE_CAP_MS);
}

function carriedAttempts(rawPayload: unknown): number {
  const value = (rawPayload as Record<string, unknown> | null)?.[CARRIED_ATTEMPTS];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/** The named queue of the running job, kept when it is rescheduled (its side effects stay serial). */
async function queueOf(helpers: JobHelpers): Promise<{ queueName?: string }> {
  const queueId = helpers.job.job_queue_id;
  if (queueId === null) return {};
  const { rows } = await helpers.query<{ queue_name: string }>(
    'select queue_name from graphile_worker._private_job_queues where id = $1',
    [queueId],
  );
  return rows[0] ? { queueName: rows[0].queue_name } : {};
}

/** A failure hook that throws must never turn a finished job into a retry (or a storm of them). */
async function guarded(hook: (() => Promise<void>) | undefined, logger: Logger, what: string): Promise<void> {
  if (!hook) return;
  try {
    await hook();
  } catch (hookError) {
    logger.error({ err: hookError }, `${what} hook failed; the job's outcome stands`);
  }
}

/**
 * Wrap task definitions for graphile-worker: parse the payload, run, and sort failures.
 * Retryable errors are rethrown, so graphile-worker retries them with exponential backoff;
 * permanent ones go to the task's `onPermanentFailure` and end the job. A service that names
 * its own delay (Retry-After) gets it, within a floor and a cap, and that attempt still counts.
 */
export function buildTaskList<Deps>(
  definitions: readonly TaskDefinition<Deps>[],
  deps: Deps,
  logger: Logger,
): TaskList {
  const list: TaskList = {};
  for (const definition of definitions) {
    list[definition.id] = async (rawPayload, helpers) => {
      const { job } = helpers;
      const attempt = carriedAttempts(rawPayload) + job.attempts;
      const context: TaskContext<Deps> = {
        deps,
        helpers,
        attempt,
        maxAttempts: job.max_attempts,
        jobId: String(job.id),
        logger: logger.child({ task: definition.id, jobId: String(job.id), attempt }),
      };
      const parsed = definition.payload.safeParse(rawPayload);
      if (!parsed.success) {
        // A payload we cannot read will never become readable: record loudly, do not retry.
        context.logger.error(
          { issues: parsed.error.issues, payload: rawPayload },
          'job payload invalid; dropped',
        );
        return;
      }
      const permanentFailure = (error: AppError) =>
        guarded(
          definition.onPermanentFailure &&
            (() => definition.onPermanentFailure!(parsed.data, error, context)),
          context.logger,
          'onPermanentFailure',
        );
      const retrying = (error: AppError) =>
        guarded(
          definition.onRetry && (() => definition.onRetry!(parsed.data, error, context)),
          context.logger,
          'onRetry',
        );
      try {
        await definition.run(parsed.data, context);
      } catch (thrown) {
        const error = asAppError(thrown);
        const willRetry = error.retryable && attempt < job.max_attempts;
        if (!willRetry) {
          context.logger.error({ err: error, code: error.code, attempt }, 'job failed permanently');
          await permanentFailure(error);
          return; // done: graphile-worker must not retry what we have given up on
        }
        if (error.retryAfterMs !== undefined && job.key) {
          // The service said when to come back: reschedule under the same key, carrying the count.
          const runAt = new Date(Date.now() + rescheduleDelayMs(error.retryAfterMs, attempt));
          context.logger.warn({ code: error.code, runAt, attempt }, 'asked to come back later; rescheduled');
          await retrying(error);
          const queue = await queueOf(helpers);
          await addJobDespiteKeyRace(() =>
            helpers.addJob(
              definition.id,
              { ...(rawPayload as Record<string, unknown>), [CARRIED_ATTEMPTS]: attempt } as never,
              { jobKey: job.key!, runAt, maxAttempts: job.max_attempts, ...queue },
            ),
          );
          return;
        }
        context.logger.warn({ err: error, code: error.code, attempt }, 'job attempt failed; will retry');
        await retrying(error);
        throw error;
      }
    };
  }
  return list;
}
