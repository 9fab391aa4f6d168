import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwnedPool } from '../../src/db/pgPool.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

describe('closing a pool we own', () => {
  it('resolves only once every connection is closed, so the server can stop right after without errors', async () => {
    const errors: Error[] = [];
    const owned = createOwnedPool({
      connectionString: db.url,
      max: 4,
      onError: (error) => errors.push(error),
    });
    const clients: pg.PoolClient[] = [];
    const closed = new Set<pg.PoolClient>();
    owned.pool.on('connect', (client) => {
      clients.push(client);
      client.once('end', () => closed.add(client));
    });
    // Four connections at once, then back to idle.
    await Promise.all(Array.from({ length: 4 }, () => owned.pool.query('select pg_sleep(0.01)')));
    expect(clients).toHaveLength(4);

    await owned.end();
    // pg's own pool.end() resolves before the sockets close: this is what end() adds.
    expect(closed.size).toBe(4);
    expect(errors).toEqual([]);
  });

  it('does not wait for ever on a client held by a query that never returns', async () => {
    const owned = createOwnedPool({
      connectionString: db.url,
      max: 2,
      closeTimeoutMs: 300,
      onError: () => {},
    });
    const held = await owned.pool.connect();
    const { rows } = await held.query<{ pid: number }>('select pg_backend_pid() as pid');
    // A query the server will not answer soon, on a client never released.
    const hung = held.query('select pg_sleep(60)').catch(() => undefined);
    await expect(owned.end()).resolves.toBeUndefined();
    await db.prisma.$executeRaw`select pg_terminate_backend(${rows[0]!.pid}::int)`;
    await hung;
  });

  it('reports a dropped connection without the client attached (a log line would dump it)', async () => {
    const errors: string[][] = []; // the error's fields when it is reported (and logged)
    const owned = createOwnedPool({
      connectionString: db.url,
      max: 1,
      onError: (error) => errors.push(Object.keys(error)),
    });
    const { rows } = await owned.pool.query<{ pid: number }>('select pg_backend_pid() as pid');
    const removed = new Promise<void>((resolve) => owned.pool.once('remove', () => resolve()));
    await db.prisma.$executeRaw`select pg_terminate_backend(${rows[0]!.pid}::int)`;
    await removed;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('code');
    expect(errors[0]).not.toContain('client');
    await owned.end();
  });
});
