import os from 'node:os';
import type pg from 'pg';

/** Anything that runs a query: a pool or a client. */
export type Queryable = Pick<pg.Pool, 'query'>;

/**
 * Mark these graphile-worker workers as alive now (one row each in `worker_heartbeats`). Time is
 * the database's, on write and on read, so clock skew between replicas cannot make a live worker
 * look dead.
 */
export async function beat(db: Queryable, workerIds: readonly string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await db.query(
    `insert into worker_heartbeats (worker_id, hostname, pid, started_at, last_seen)
     select id, $2, $3, now(), now() from unnest($1::text[]) as id
     on conflict (worker_id) do update set last_seen = now()`,
    [[...workerIds], os.hostname(), process.pid],
  );
}

/** Drop the rows of workers that stopped cleanly (they hold no locks any more). */
export async function forget(db: Queryable, workerIds: readonly string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await db.query('delete from worker_heartbeats where worker_id = any($1::text[])', [[...workerIds]]);
}
