import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/db/migrate.js';
import { eventually } from '../support/eventually.js';
import { testLogger } from '../support/pgServer.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

describe('applying migrations', () => {
  it('a connection dropped while waiting for another replica to finish fails the call, and does not crash the process', async () => {
    // Another replica migrating: it holds the migration lock.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock(727001)');
      const migrating = applyMigrations(db.url, testLogger());
      const outcome = migrating.then(
        () => 'applied',
        (error: Error) => error.message,
      );
      const waiting = await eventually(
        async () =>
          (
            await other.query<{ pid: number }>(
              `select pid from pg_stat_activity
                where datname = current_database() and query like 'select pg_advisory_lock%'
                  and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
            )
          ).rows,
        (rows) => rows.length === 1,
      );
      // A failover, or an administrator ending the session.
      await other.query('select pg_terminate_backend($1)', [waiting[0]!.pid]);
      // Rejected with the reason; an unhandled 'error' event would have failed this file.
      expect(await outcome).toMatch(/terminat/i);
    } finally {
      await other.end();
    }
  });
});
