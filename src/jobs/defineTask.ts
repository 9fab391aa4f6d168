import type { JobHelpers } from 'graphile-worker';
import type { z } from 'zod';
import type { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface TaskContext<Deps> {
  deps: Deps;
  logger: Logger;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  maxAttempts: number;
  jobId: string;
  helpers: JobHelpers;
}

export interface TaskDefinition<Deps, Schema extends z.ZodType = z.ZodType> {
  /** Task identifier; equals the file name under src/jobs/tasks/. */
  id: string;
  payload: Schema;
  run(payload: z.infer<Schema>, context: TaskContext<Deps>): Promise<void>;
  /**
   * A non-retryable error (a 400, 401, `channel_not_found`, …) ends the job: retrying cannot
   * help. This is where the task tells a human, so the failure is never silent.
   */
  onPermanentFailure?(payload: z.infer<Schema>, error: AppError, context: TaskContext<Deps>): Promise<void>;
  /** Called when an attempt fails with a retryable error and the job will be retried. */
  onRetry?(payload: z.infer<Schema>, error: AppError, context: TaskContext<Deps>): Promise<void>;
}

export function defineTask<Deps, Schema extends z.ZodType>(
  definition: TaskDefinition<Deps, Schema>,
): TaskDefinition<Deps, Schema> {
  return definition;
}
