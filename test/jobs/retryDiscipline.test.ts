import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/errors.js';
import { defineTask, type TaskDefinition } from '../../src/jobs/defineTask.js';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import {
  RESCHEDULE_CAP_MS,
  RESCHEDULE_FLOOR_MS,
  buildTaskList,
  rescheduleDelayMs,
} from '../../src/jobs/taskList.js';
import { startWorker, type Worker } from '../../src/jobs/worker.js';
import { eventually } from '../support/eventually.js';
import { runDueJobsNow } from '../support/jobs.js';
import { testLogger } from '../support/pgServer.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let worker: Worker | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
});
beforeEach(async () => {
  await db.prisma.$executeRaw`delete from graphile_worker._private_jobs`;
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});
afterAll(async () => db.drop());

const jobRows = () =>
  db.prisma.$queryRaw<
    {
      key: string;
      attempts: number;
      run_at: Date;
      updated_at: Date;
      last_error: string | null;
      payload: Record<string, unknown>;
    }[]
  >`select key, attempts, run_at, updated_at, last_error, payload from graphile_worker._private_jobs order by id`;

async function start(definitions: TaskDefinition<unknown>[]) {
  worker = await startWorker({
    databaseUrl: db.url,
    taskList: buildTaskList(definitions, {}, testLogger()),
    logger: testLogger(),
    concurrency: 1,
    pollIntervalMs: 60_000,
  });
}

describe('failure handlers never turn a finished job into retries', () => {
  it('a permanent failure whose handler throws (Slack refusing the notice) is tried once', async () => {
    let runs = 0;
    let handled = 0;
    await start([
      defineTask({
        id: 'jira_401',
        payload: z.object({}),
        async run() {
          runs += 1;
          throw new AppError('JIRA_AUTH_FAILED', 'Invalid Credentials');
        },
        async onPermanentFailure() {
          handled += 1;
          throw new Error('chat.postMessage: channel_not_found');
        },
      }),
    ]);
    await enqueueJob(db.prisma, 'jira_401', {}, { jobKey: 'k401', maxAttempts: 25 });
    await eventually(
      async () => handled,
      (count) => count === 1,
    );
    await eventually(jobRows, (rows) => rows.length === 0);
    await runDueJobsNow(db.prisma);
    expect(runs).toBe(1);
  });

  it('a retryable failure whose onRetry hook throws still retries normally', async () => {
    let failedAt = Infinity;
    await start([
      defineTask({
        id: 'flaky_hook',
        payload: z.object({}),
        async run() {
          failedAt = Date.now();
          throw new AppError('JIRA_SERVER_ERROR', '503', { retryable: true });
        },
        async onRetry() {
          throw new Error('hook broke');
        },
      }),
    ]);
    await enqueueJob(db.prisma, 'flaky_hook', {}, { jobKey: 'khook', maxAttempts: 5 });
    // attempts goes up when the job is taken; the failure is recorded (with its back-off) after.
    const [row] = await eventually(
      jobRows,
      (rows) => rows[0]?.attempts === 1 && rows[0]?.last_error !== null,
    );
    // Backed off from the failure (graphile-worker: e^attempts s, 2.7 s after a first failure),
    // counted from the attempt itself, not from when a loaded machine got to look.
    expect(row!.run_at.getTime()).toBeGreaterThanOrEqual(failedAt + 2_000);
  });
});

describe('Retry-After: honoured, floored, capped, and counted', () => {
  it('the delay has a floor that grows with attempts, and a cap', () => {
    expect(rescheduleDelayMs(0, 1)).toBe(RESCHEDULE_FLOOR_MS);
    expect(rescheduleDelayMs(0, 3)).toBe(RESCHEDULE_FLOOR_MS * 4);
    expect(rescheduleDelayMs(120_000, 1)).toBe(120_000);
    expect(rescheduleDelayMs(86_400_000, 1)).toBe(RESCHEDULE_CAP_MS);
    expect(rescheduleDelayMs(0, 40)).toBe(RESCHEDULE_CAP_MS);
  });

  it('a persistent 429 with Retry-After: 0 gives up after max attempts instead of looping forever', async () => {
    let runs = 0;
    let gaveUp = 0;
    await start([
      defineTask({
        id: 'always_429',
        payload: z.object({ incidentId: z.number() }),
        async run() {
          runs += 1;
          throw new AppError('JIRA_RATE_LIMITED', '429', { retryable: true, retryAfterMs: 0 });
        },
        async onPermanentFailure() {
          gaveUp += 1;
        },
      }),
    ]);
    await enqueueJob(db.prisma, 'always_429', { incidentId: 7 }, { jobKey: 'k429', maxAttempts: 3 });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const [row] = await eventually(jobRows, (rows) => rows[0]?.payload.__attemptsSoFar === attempt);
      // Not due again before the floor, even though Jira said 0 (counted from when it was
      // rescheduled, not from when this test got to look: a loaded machine is slow to look).
      expect(row!.run_at.getTime() - row!.updated_at.getTime()).toBeGreaterThan(RESCHEDULE_FLOOR_MS * 0.9);
      expect(row!.payload.incidentId).toBe(7);
      await runDueJobsNow(db.prisma);
    }
    await eventually(
      async () => gaveUp,
      (count) => count === 1,
    );
    // The give-up hook runs inside the last attempt; the worker deletes the row only after
    // that attempt returns, so wait for the row rather than reading it at once.
    expect(await eventually(jobRows, (rows) => rows.length === 0)).toEqual([]);
    expect(runs).toBe(3);
  });
});
