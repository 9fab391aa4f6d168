import type { Db } from '../db/prisma.js';
import { AppError } from '../errors.js';

export interface EnqueueOptions {
  /** Jobs with the same key collapse into one: a second add replaces the pending one. */
  jobKey?: string;
  /** 'replace' (default) updates payload and run time; 'preserve_run_at' keeps the run time. */
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  runAt?: Date;
  maxAttempts?: number;
  /** Jobs in one queue run one at a time, in order (e.g. one queue per incident). */
  queueName?: string;
  priority?: number;
}

/**
 * graphile-worker's add_job frees the key of a running job, then inserts "or updates the pending
 * job". A worker taking that job between the two statements leaves the update nothing to match:
 * add_job returns no job and the request is silently dropped (graphile/worker#580), while the
 * running job may have read the state from before the change that asked for it. Adding again
 * then sees the job running and enqueues a new one. Returns what the last try returned.
 */
export async function addJobDespiteKeyRace<T extends { id?: unknown } | null | undefined>(
  add: () => Promise<T>,
  tries = 5,
): Promise<T> {
  let job = await add();
  for (let attempt = 1; attempt < tries && (job == null || job.id == null); attempt += 1) job = await add();
  if (job == null || job.id == null) {
    throw new AppError('JOB_NOT_ENQUEUED', `graphile-worker dropped a keyed job ${tries} times in a row`, {
      retryable: true,
    });
  }
  return job;
}

/**
 * Enqueue a graphile-worker job through SQL on the given Prisma client or transaction. Called
 * inside the transaction that changes state, the job exists if and only if the change commits
 * (transactional outbox); the worker hears about it by LISTEN/NOTIFY at commit.
 */
export async function enqueueJob(
  db: Db,
  task: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<void> {
  await addJobDespiteKeyRace(async () => {
    const [job] = await db.$queryRaw<{ id: bigint | null }[]>`select (graphile_worker.add_job(
      identifier := ${task}::text,
      payload := ${JSON.stringify(payload ?? {})}::json,
      queue_name := ${options.queueName ?? null}::text,
      run_at := ${options.runAt ?? null}::timestamptz,
      max_attempts := ${options.maxAttempts ?? null}::int,
      job_key := ${options.jobKey ?? null}::text,
      priority := ${options.priority ?? null}::int,
      job_key_mode := ${options.jobKey ? (options.jobKeyMode ?? 'replace') : null}::text
    )).id`;
    return job;
  });
}
