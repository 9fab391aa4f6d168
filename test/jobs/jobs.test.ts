import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/errors.js';
import { defineTask, type TaskDefinition } from '../../src/jobs/defineTask.js';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import { buildTaskList } from '../../src/jobs/taskList.js';
import { startWorker, type Worker } from '../../src/jobs/worker.js';
import { eventually } from '../support/eventually.js';
import { nextJobEvent } from '../support/jobs.js';
import { testLogger } from '../support/pgServer.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let worker: Worker | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});
afterAll(async () => db.drop());

interface JobRow {
  id: string;
  task_identifier: string;
  payload: unknown;
  attempts: number;
  last_error: string | null;
  run_at: Date;
  key: string | null;
}
const jobs = () =>
  db.prisma.$queryRaw<JobRow[]>`
    select j.id::text, t.identifier as task_identifier, j.payload, j.attempts, j.last_error, j.run_at, j.key
    from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    order by j.id`;

async function start(definitions: TaskDefinition<unknown>[], pollIntervalMs = 60_000) {
  worker = await startWorker({
    databaseUrl: db.url,
    taskList: buildTaskList(definitions, {}, testLogger()),
    logger: testLogger(),
    concurrency: 2,
    pollIntervalMs,
  });
  return worker.runner;
}

describe('enqueueing inside a Prisma transaction (transactional outbox)', () => {
  it('a rolled-back transaction enqueues nothing', async () => {
    await db.prisma.$executeRaw`delete from graphile_worker._private_jobs`;
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.group.create({ data: { name: 'outbox-rollback' } });
        await enqueueJob(tx, 'never_runs', { n: 1 }, { jobKey: 'rollback-key' });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await jobs()).toEqual([]);
    expect(await db.prisma.group.count({ where: { name: 'outbox-rollback' } })).toBe(0);
  });

  it('a committed transaction enqueues exactly its job; the same job_key twice gives one job', async () => {
    await db.prisma.$executeRaw`delete from graphile_worker._private_jobs`;
    await db.prisma.$transaction(async (tx) => {
      await enqueueJob(tx, 'dedup_task', { version: 1 }, { jobKey: 'incident:1:channel' });
    });
    await db.prisma.$transaction(async (tx) => {
      await enqueueJob(tx, 'dedup_task', { version: 2 }, { jobKey: 'incident:1:channel' });
    });
    const rows = await jobs();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      task_identifier: 'dedup_task',
      key: 'incident:1:channel',
      payload: { version: 2 },
    });
  });
});

describe('a keyed job taken by a worker at the moment it is enqueued again', () => {
  // graphile-worker's add_job first frees the key of a job already running, then inserts "or
  // updates the job if not running". A worker taking the job between those two statements makes
  // the update match nothing: add_job returns no job and the new request is dropped
  // (graphile/worker#580). The job running may have read the state before this change.
  it('is enqueued anew, not dropped', async () => {
    await db.prisma.$executeRaw`delete from graphile_worker._private_jobs`;
    await enqueueJob(db.prisma, 'keyed_task', { version: 1 }, { jobKey: 'incident:9:messages' });
    const workerTakes = new pg.Client({ connectionString: db.url });
    await workerTakes.connect();
    try {
      // The worker's lock, not yet committed: the insert's conflict check must wait for it.
      await workerTakes.query('begin');
      await workerTakes.query(
        `update graphile_worker._private_jobs set locked_at = now(), locked_by = 'worker-1', attempts = attempts + 1
         where key = 'incident:9:messages'`,
      );
      const enqueued = enqueueJob(
        db.prisma,
        'keyed_task',
        { version: 2 },
        { jobKey: 'incident:9:messages', jobKeyMode: 'preserve_run_at' },
      );
      // Our enqueue, and only ours, waiting on the lock this connection holds.
      const { rows } = await workerTakes.query<{ pid: number }>('select pg_backend_pid() as pid');
      await eventually(
        async () =>
          (
            await workerTakes.query(
              `select 1 from pg_stat_activity where $1::int = any(pg_blocking_pids(pid)) and query like '%add_job%'`,
              [rows[0]!.pid],
            )
          ).rowCount,
        (waiting) => waiting === 1,
      );
      await workerTakes.query('commit');
      await enqueued;
    } finally {
      await workerTakes.end();
    }
    const rows = await jobs();
    // The running job (its key freed) and a new one that will see this change.
    expect(rows.map((row) => [row.key, row.payload])).toEqual([
      [null, { version: 1 }],
      ['incident:9:messages', { version: 2 }],
    ]);
  });
});

describe('worker', () => {
  it('starts a new job through LISTEN/NOTIFY without waiting for the (1 minute) poll', async () => {
    await db.prisma.$executeRaw`delete from graphile_worker._private_jobs`;
    const seen: number[] = [];
    const task = defineTask<unknown, z.ZodType<{ n: number }>>({
      id: 'notify_task',
      payload: z.object({ n: z.number() }),
      run: async (payload) => {
        seen.push(payload.n);
      },
    });
    const runner = await start([task as TaskDefinition<unknown>], 60_000);
    // Let the worker's first poll find the queue empty, so the job can only arrive by NOTIFY.
    await new Promise<void>((resolve) => runner.events.once('pool:listen:success', () => resolve()));
    const done = nextJobEvent(runner, 'job:success', 'notify_task');
    const startedAt = Date.now();
    await db.prisma.$transaction((tx) => enqueueJob(tx, 'notify_task', { n: 7 }));
    await done;
    expect(seen).toEqual([7]);
    // Far below the poll interval: the job was picked up by notification.
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  });

  it('retries a failing task with backoff, then succeeds', async () => {
    await db.prisma.$executeRaw`delete from graphile_worker._private_jobs`;
    let calls = 0;
    const task = defineTask<unknown, z.ZodType<Record<string, never>>>({
      id: 'flaky_task',
      payload: z.object({}),
      run: async () => {
        calls += 1;
        if (calls === 1) throw new AppError('SLACK_NETWORK_ERROR', 'upstream down', { retryable: true });
      },
    });
    const runner = await start([task as TaskDefinition<unknown>]);
    const failed = nextJobEvent(runner, 'job:error', 'flaky_task');
    const enqueuedAt = new Date();
    await db.prisma.$transaction((tx) => enqueueJob(tx, 'flaky_task', {}));
    await failed;

    const [row] = await eventually(jobs, (rows) => rows[0]?.attempts === 1 && rows[0].last_error !== null);
    expect(row!.attempts).toBe(1);
    expect(row!.last_error).toContain('upstream down');
    // Backoff: the retry is scheduled in the future, not immediately.
    expect(row!.run_at.getTime()).toBeGreaterThan(enqueuedAt.getTime() + 1000);

    // Fast-forward the backoff instead of sleeping through it.
    const succeeded = nextJobEvent(runner, 'job:success', 'flaky_task');
    await db.prisma.$executeRaw`update graphile_worker._private_jobs set run_at = now()`;
    await db.prisma.$executeRaw`select pg_notify('jobs:insert', '{}')`;
    await succeeded;
    expect(calls).toBe(2);
    expect(await eventually(jobs, (rows) => rows.length === 0)).toEqual([]);
  });

  it('does not retry a permanent failure, and hands it to the task to report', async () => {
    await db.prisma.$executeRaw`delete from graphile_worker._private_jobs`;
    const reported: string[] = [];
    let calls = 0;
    const task = defineTask<unknown, z.ZodType<Record<string, never>>>({
      id: 'doomed_task',
      payload: z.object({}),
      run: async () => {
        calls += 1;
        throw new AppError('SLACK_API_ERROR', 'channel_not_found', { retryable: false });
      },
      onPermanentFailure: async (_payload, error) => {
        reported.push(error.code);
      },
    });
    const runner = await start([task as TaskDefinition<unknown>]);
    const finished = nextJobEvent(runner, 'job:success', 'doomed_task');
    await db.prisma.$transaction((tx) => enqueueJob(tx, 'doomed_task', {}));
    await finished;
    expect(calls).toBe(1);
    expect(reported).toEqual(['SLACK_API_ERROR']);
    // Completed (not failed): the job is gone rather than waiting for a retry.
    expect(await eventually(jobs, (rows) => rows.length === 0)).toEqual([]);
    expect(calls).toBe(1);
  });
});
