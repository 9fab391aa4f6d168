import type { TaskList } from 'graphile-worker';
import { asAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TaskContext, TaskDefinition } from './defineTask.js';

/**
 * Wrap task definitions for graphile-worker: parse the payload, run, and sort failures.
 * Retryable errors are rethrown, so graphile-worker retries them with exponential backoff;
 * permanent ones go to the task's `onPermanentFailure` and end the job.
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
      const context: TaskContext<Deps> = {
        deps,
        helpers,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        jobId: String(job.id),
        logger: logger.child({ task: definition.id, jobId: String(job.id), attempt: job.attempts }),
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
      try {
        await definition.run(parsed.data, context);
      } catch (thrown) {
        const error = asAppError(thrown);
        if (!error.retryable) {
          context.logger.error({ err: error, code: error.code }, 'job failed permanently');
          await definition.onPermanentFailure?.(parsed.data, error, context);
          return;
        }
        if (error.retryAfterMs !== undefined && job.key) {
          // The service said when to come back (HTTP Retry-After): reschedule this job for
          // then under the same key, instead of graphile-worker's generic backoff.
          const runAt = new Date(Date.now() + error.retryAfterMs);
          context.logger.warn({ code: error.code, runAt }, 'rate limited; rescheduled as asked');
          await definition.onRetry?.(parsed.data, error, context).catch((hookError: unknown) => {
            context.logger.warn({ err: hookError }, 'onRetry hook failed');
          });
          await helpers.addJob(definition.id, rawPayload as never, {
            jobKey: job.key,
            runAt,
            maxAttempts: job.max_attempts,
          });
          return;
        }
        const willRetry = job.attempts < job.max_attempts;
        context.logger.warn({ err: error, code: error.code, willRetry }, 'job attempt failed');
        if (willRetry) {
          await definition.onRetry?.(parsed.data, error, context).catch((hookError: unknown) => {
            context.logger.warn({ err: hookError }, 'onRetry hook failed');
          });
        } else {
          await definition.onPermanentFailure?.(parsed.data, error, context);
        }
        throw error;
      }
    };
  }
  return list;
}
