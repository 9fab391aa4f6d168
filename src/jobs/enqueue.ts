import type { Db } from '../db/prisma.js';

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
  await db.$executeRaw`select graphile_worker.add_job(
    identifier := ${task}::text,
    payload := ${JSON.stringify(payload ?? {})}::json,
    queue_name := ${options.queueName ?? null}::text,
    run_at := ${options.runAt ?? null}::timestamptz,
    max_attempts := ${options.maxAttempts ?? null}::int,
    job_key := ${options.jobKey ?? null}::text,
    priority := ${options.priority ?? null}::int,
    job_key_mode := ${options.jobKey ? (options.jobKeyMode ?? 'replace') : null}::text
  )`;
}
