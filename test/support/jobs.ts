import type { Runner } from 'graphile-worker';
import type { PrismaClient } from '../../src/db/prisma.js';

/**
 * Make every waiting job (including retries in backoff) due now, and wake the worker. Rows
 * another transaction holds (a job being added or taken) are skipped rather than waited for:
 * waiting on them while that transaction waits on a row this update holds was a deadlock (seen
 * in CI). Skipped rows are tried again until none is left waiting, so one call still leaves
 * nothing in back-off.
 */
export async function runDueJobsNow(prisma: PrismaClient): Promise<void> {
  for (let round = 0; round < 50; round += 1) {
    await prisma.$executeRaw`
      update graphile_worker._private_jobs set run_at = now()
      where id in (
        select id from graphile_worker._private_jobs
        where locked_at is null and run_at > now()
        for update skip locked
      )`;
    const [waiting] = await prisma.$queryRaw<{ n: bigint }[]>`
      select count(*) as n from graphile_worker._private_jobs where locked_at is null and run_at > now()`;
    if (Number(waiting!.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await prisma.$executeRaw`select pg_notify('jobs:insert', '{}')`;
}

/** Resolves on the next job event of that kind for that task. */
export function nextJobEvent(
  worker: Runner,
  name: 'job:success' | 'job:error' | 'job:complete',
  task: string,
) {
  return new Promise<{ job: { attempts: number } }>((resolve) => {
    const listener = (event: { job: { task_identifier: string; attempts: number } }) => {
      if (event.job.task_identifier !== task) return;
      worker.events.off(name, listener);
      resolve(event);
    };
    worker.events.on(name, listener);
  });
}

export async function pendingJobs(prisma: PrismaClient, keyPrefix: string) {
  return prisma.$queryRaw<{ key: string; attempts: number; last_error: string | null; run_at: Date }[]>`
    select key, attempts, last_error, run_at from graphile_worker._private_jobs where key like ${`${keyPrefix}%`} order by key`;
}

/**
 * Resolves once no job of these tasks is left to run: done, or failed for good (graphile-worker
 * keeps those rows, e.g. a running keyed job superseded by a newer one with the same key).
 */
export async function jobsDrained(
  prisma: PrismaClient,
  tasks: readonly string[],
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
      select count(*) as n from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = any(${[...tasks]}::text[]) and j.attempts < j.max_attempts`;
    if (Number(row!.n) === 0) return;
    if (Date.now() > deadline) {
      const left = await prisma.$queryRaw<unknown[]>`
        select t.identifier, j.key, j.attempts, j.last_error, j.run_at from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = any(${[...tasks]}::text[])`;
      const queues = await prisma.$queryRaw<
        unknown[]
      >`select queue_name, locked_at, locked_by from graphile_worker._private_job_queues where locked_by is not null`;
      throw new Error(
        `jobs still pending after ${timeoutMs} ms: ${JSON.stringify(left)}; locked queues: ${JSON.stringify(queues)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves once the job with this key has failed an attempt and been released for a retry. */
export async function jobAwaitingRetry(prisma: PrismaClient, key: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await prisma.$queryRaw<{ attempts: number }[]>`
      select attempts from graphile_worker._private_jobs where key = ${key} and locked_at is null and last_error is not null`;
    if (rows.length > 0) return;
    if (Date.now() > deadline)
      throw new Error(`job ${key} did not fail and get released within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Resolves once the pending job under `key` is due at least `minDelayMs` from now: it was sent
 * back to wait (a Retry-After reschedule) instead of running or failing.
 */
export async function jobRescheduledAhead(
  prisma: PrismaClient,
  key: string,
  minDelayMs: number,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await prisma.$queryRaw<{ id: bigint }[]>`
      select id from graphile_worker._private_jobs
      where key = ${key} and locked_at is null
        and run_at >= now() + make_interval(secs => ${minDelayMs / 1000}::float8)`;
    if (rows.length > 0) return;
    if (Date.now() > deadline)
      throw new Error(`job ${key} was not sent back ${minDelayMs} ms ahead within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Let every job of these tasks finish, making retries in back-off due at once, round after
 * round (a job's success may enqueue more), whichever process runs them.
 */
export async function settleJobs(prisma: PrismaClient, tasks: readonly string[], rounds = 60): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    await runDueJobsNow(prisma);
    try {
      await jobsDrained(prisma, tasks, 500);
      return;
    } catch {
      // still working (or a retry waiting): go round again
    }
  }
  await jobsDrained(prisma, tasks, 1000);
}
