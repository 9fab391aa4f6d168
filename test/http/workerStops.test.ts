import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../src/errors.js';
import { eventually } from '../support/eventually.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** A bot whose job worker is gone must not go on answering as if it were fine. */
describe('the job worker stopping on its own', () => {
  let db: TestDatabase;
  let harness: TestBot;
  const fatal: AppError[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    harness = await startTestBot({ DATABASE_URL: db.url }, { onFatal: (error) => fatal.push(error) });
  });
  afterAll(async () => {
    await harness.stop();
    await db.drop();
  });

  it('is fatal (main.ts then exits 1) and /healthz says 503 meanwhile', async () => {
    expect((await fetch(`${harness.baseUrl}/healthz`)).status).toBe(200);
    // As graphile-worker does when a job's result cannot be written (database gone mid-job).
    await harness.bot.worker.runner.stop();
    await eventually(
      async () => fatal.length,
      (n) => n === 1,
    );
    expect(fatal[0]).toMatchObject({ code: 'WORKER_STOPPED' });
    const health = await fetch(`${harness.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ worker: 'stopped' });
  });
});
