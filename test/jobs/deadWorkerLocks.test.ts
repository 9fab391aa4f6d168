import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { releaseDeadWorkerLocks, releaseOrphanedOwnLocks } from '../../src/jobs/deadWorkerLocks.js';
import { defineTask } from '../../src/jobs/defineTask.js';
import { buildTaskList } from '../../src/jobs/taskList.js';
import { startWorker } from '../../src/jobs/worker.js';
import { eventually } from '../support/eventually.js';
import { testLogger } from '../support/pgServer.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/**
 * Locks of dead workers: graphile-worker alone keeps them for 4 hours. A worker is dead when its
 * heartbeat is stale, or (no heartbeat at all) when its lock is older than the timeout.
 */
let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});
beforeEach(async () => {
  await pool.query('delete from graphile_worker._private_jobs');
  await pool.query('delete from graphile_worker._private_job_queues');
  await pool.query('delete from worker_heartbeats');
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** A job (optionally in a named queue) locked by `worker` `lockedAgoMs` ago. */
async function lockedJob(task: string, worker: string, lockedAgoMs: number, queue?: string) {
  await pool.query(`select graphile_worker.add_job($1, '{}'::json, job_key := $2, queue_name := $3)`, [
    task,
    `job-of-${worker}`,
    queue ?? null,
  ]);
  const lockedAt = `now() - make_interval(secs => $2::double precision / 1000)`;
  await pool.query(
    `update graphile_worker._private_jobs set locked_by = $1, locked_at = ${lockedAt} where key = $3`,
    [worker, lockedAgoMs, `job-of-${worker}`],
  );
  if (queue) {
    await pool.query(
      `update graphile_worker._private_job_queues set locked_by = $1, locked_at = ${lockedAt} where queue_name = $3`,
      [worker, lockedAgoMs, queue],
    );
  }
}

async function heartbeat(worker: string, agoMs: number) {
  await pool.query(
    `insert into worker_heartbeats (worker_id, hostname, pid, last_seen)
     values ($1, 'elsewhere', 1, now() - make_interval(secs => $2::double precision / 1000))`,
    [worker, agoMs],
  );
}

async function lockedBy(): Promise<string[]> {
  const { rows } = await pool.query<{ locked_by: string }>(
    `select locked_by from graphile_worker._private_jobs where locked_by is not null
     union all
     select locked_by from graphile_worker._private_job_queues where locked_by is not null
     order by 1`,
  );
  return rows.map((row) => row.locked_by);
}

describe('releasing the locks of dead workers', () => {
  it('releases stale-heartbeat and old unknown locks, and keeps live, new and own ones', async () => {
    await heartbeat('w-stale', 60_000);
    await lockedJob('some_task', 'w-stale', 1_000);
    await heartbeat('w-stale-queue', 60_000);
    await lockedJob('some_task', 'w-stale-queue', 1_000, 'incident:1');
    await heartbeat('w-fresh', 1_000);
    await lockedJob('some_task', 'w-fresh', 120_000);
    await lockedJob('some_task', 'w-unknown-old', 60_000);
    await lockedJob('some_task', 'w-unknown-new', 1_000);
    await lockedJob('some_task', 'w-ours', 60_000);

    const released = await releaseDeadWorkerLocks(pool, { ownWorkerIds: ['w-ours'], timeoutMs: 30_000 });
    expect(released.sort()).toEqual(['w-stale', 'w-stale-queue', 'w-unknown-old']);
    // The queue lock went with the job lock.
    expect(await lockedBy()).toEqual(['w-fresh', 'w-ours', 'w-unknown-new']);
    const { rows } = await pool.query<{ worker_id: string }>(
      'select worker_id from worker_heartbeats order by 1',
    );
    expect(rows.map((row) => row.worker_id)).toEqual(['w-fresh']);

    // Nothing else is dead: a second sweep (another replica's, say) changes nothing.
    expect(await releaseDeadWorkerLocks(pool, { ownWorkerIds: ['w-ours'], timeoutMs: 30_000 })).toEqual([]);
  });

  it('as the only worker process on the database, releases every lock but its own', async () => {
    await heartbeat('w-fresh', 1_000);
    await lockedJob('some_task', 'w-fresh', 1_000);
    await lockedJob('some_task', 'w-ours', 1_000);
    const released = await releaseDeadWorkerLocks(pool, {
      ownWorkerIds: ['w-ours'],
      timeoutMs: 30_000,
      everyForeignLock: true,
    });
    expect(released).toEqual(['w-fresh']);
    expect(await lockedBy()).toEqual(['w-ours']);
  });
});

describe('jobs our own live workers left locked (their result was lost to a database outage)', () => {
  it('are released with their queue; a job still running here, or just locked, is left alone', async () => {
    await lockedJob('some_task', 'w-orphan', 60_000, 'incident:9:slack');
    await lockedJob('some_task', 'w-running', 60_000);
    await lockedJob('some_task', 'w-young', 100);
    const { rows } = await pool.query<{ id: string }>(
      `select id::text from graphile_worker._private_jobs where locked_by = 'w-running'`,
    );
    const released = await releaseOrphanedOwnLocks(pool, {
      ownWorkerIds: ['w-orphan', 'w-running', 'w-young'],
      runningJobIds: [rows[0]!.id],
      olderThanMs: 5_000,
    });
    expect(released).toBe(1);
    expect(await lockedBy()).toEqual(['w-running', 'w-young']);
  });
});

describe('the worker heartbeat', () => {
  it('runs a job held by a dead worker again, well before the 4-hour lock timeout, and keeps its own heartbeat', async () => {
    const ran: string[] = [];
    const task = defineTask({
      id: 'recovered_task',
      payload: z.object({}),
      run: async (_payload, context) => {
        ran.push(context.jobId);
      },
    });
    await heartbeat('worker-killed-elsewhere', 5_000);
    await lockedJob('recovered_task', 'worker-killed-elsewhere', 500, 'incident:7');

    const worker = await startWorker({
      databaseUrl: db.url,
      taskList: buildTaskList([task], {}, testLogger()),
      logger: testLogger(),
      concurrency: 2,
      pollIntervalMs: 60_000,
      heartbeatIntervalMs: 100,
      heartbeatTimeoutMs: 1_000,
    });
    try {
      await eventually(
        async () => ran.length,
        (n) => n === 1,
      );
      await eventually(lockedBy, (locks) => locks.length === 0); // completed: job and queue free
      // This process's own workers beat, so no other replica takes their jobs.
      const ids = worker.workerIds();
      expect(ids.length).toBeGreaterThanOrEqual(2);
      await eventually(
        async () =>
          (await pool.query('select worker_id from worker_heartbeats where worker_id = any($1)', [ids]))
            .rowCount,
        (n) => n === ids.length,
      );
    } finally {
      await worker.stop();
    }
    // A clean stop leaves no heartbeat behind.
    expect((await pool.query('select 1 from worker_heartbeats')).rowCount).toBe(0);
  });
});

describe('after a database outage (shared database, several replicas)', () => {
  it('a process judges others dead only once its own heartbeats have landed for a full timeout', async () => {
    const { startWorkerLiveness } = await import('../../src/jobs/workerLiveness.js');
    // A peer whose heartbeat looks stale only because the database was away for everyone.
    await heartbeat('peer-replica', 60_000);
    await lockedJob('peer_task', 'peer-replica', 60_000);
    // Long enough that the first look below comes well inside it on a loaded machine.
    const timeoutMs = 4000;
    let rounds = 0;
    const liveness = startWorkerLiveness({
      db: { query: (...args: Parameters<pg.Pool['query']>) => (rounds++, pool.query(...args)) } as never,
      ownWorkerIds: () => ['me'],
      runningJobIds: () => [],
      intervalMs: 20,
      timeoutMs,
      soleWorkerProcess: false,
      logger: testLogger(),
    });
    try {
      // The first rounds (our own heartbeat just back) must leave the peer's job alone…
      await eventually(
        async () => rounds,
        (count) => count >= 3,
      );
      expect(await lockedBy()).toEqual(['peer-replica']);
      // …and once our heartbeats have landed for a full timeout, a peer still silent is dead.
      await eventually(lockedBy, (locks) => locks.length === 0, 10_000);
    } finally {
      await liveness.stop();
    }
  });
});
