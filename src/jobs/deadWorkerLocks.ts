import type { Queryable } from './workerHeartbeat.js';

export interface ReleaseOptions {
  /** Workers of this process: never released. */
  ownWorkerIds: readonly string[];
  /** A worker whose heartbeat is older than this is dead. */
  timeoutMs: number;
  /**
   * Release every lock not held by our own workers, fresh or not. Only when no other process can
   * be running workers on this database (the embedded server we just started).
   */
  everyForeignLock?: boolean;
}

/**
 * Release the job and queue locks of dead workers, so their jobs run again now rather than
 * after graphile-worker's 4-hour lock timeout. A worker is dead when its heartbeat is stale; a
 * worker with no heartbeat at all (an older bot, a row already cleaned up) is dead once its
 * oldest lock is older than the timeout — a worker that just started may lock a job a moment
 * before its first heartbeat lands, so a fresh lock by an unknown worker is left alone. Safe with
 * several replicas sweeping at once: releasing is an idempotent update.
 * Returns the worker ids whose locks were released.
 */
export async function releaseDeadWorkerLocks(db: Queryable, options: ReleaseOptions): Promise<string[]> {
  const { rows } = await db.query<{ locked_by: string }>(
    `with locks as (
       select locked_by, locked_at from graphile_worker._private_jobs where locked_by is not null
       union all
       select locked_by, locked_at from graphile_worker._private_job_queues where locked_by is not null
     ), cutoff as (select now() - make_interval(secs => $2::double precision / 1000) as at)
     select l.locked_by
     from locks l cross join cutoff left join worker_heartbeats h on h.worker_id = l.locked_by
     where not (l.locked_by = any($1::text[]))
     group by l.locked_by, h.last_seen, cutoff.at
     having $3::boolean
         or (h.last_seen is null and min(l.locked_at) < cutoff.at)
         or h.last_seen < cutoff.at`,
    [[...options.ownWorkerIds], options.timeoutMs, options.everyForeignLock ?? false],
  );
  const dead = rows.map((row) => row.locked_by);
  if (dead.length === 0) return [];
  // What WorkerUtils.forceUnlockWorkers runs, on the pool we already have.
  await db.query('select graphile_worker.force_unlock_workers($1::text[])', [dead]);
  await db.query('delete from worker_heartbeats where worker_id = any($1::text[])', [dead]);
  // Wake the workers of every replica (graphile-worker LISTENs on this channel), rather than
  // leave the freed jobs to the next poll.
  await db.query(`select pg_notify('jobs:insert', json_build_object('count', $1::int)::text)`, [dead.length]);
  return dead;
}

/** Heartbeats of workers dead for a long time and holding nothing: keep the table small. */
export async function pruneHeartbeats(db: Queryable, olderThanMs: number): Promise<void> {
  await db.query(
    `delete from worker_heartbeats where last_seen < now() - make_interval(secs => $1::double precision / 1000)`,
    [olderThanMs],
  );
}

/**
 * Release jobs locked by this very process that it is not running: when the database went away
 * while a job finished, graphile-worker could not write the result, and the job (with its queue)
 * stays locked by a worker that is alive — no dead-worker sweep frees it, and it would wait for
 * the 4-hour lock timeout. A lock younger than `olderThanMs` is left alone (a job is locked a
 * moment before its function starts). Returns how many jobs were released.
 */
export async function releaseOrphanedOwnLocks(
  db: Queryable,
  options: { ownWorkerIds: readonly string[]; runningJobIds: readonly string[]; olderThanMs: number },
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `with orphans as (
       update graphile_worker._private_jobs j set locked_at = null, locked_by = null
       where j.locked_by = any($1::text[])
         and j.locked_at < now() - make_interval(secs => $3::double precision / 1000)
         and not (j.id::text = any($2::text[]))
       returning j.id, j.job_queue_id
     ), queues as (
       update graphile_worker._private_job_queues q set locked_at = null, locked_by = null
       from orphans o
       where q.id = o.job_queue_id and q.locked_by = any($1::text[])
     )
     select id::text from orphans`,
    [[...options.ownWorkerIds], [...options.runningJobIds], options.olderThanMs],
  );
  if (rows.length > 0) {
    await db.query(`select pg_notify('jobs:insert', json_build_object('count', $1::int)::text)`, [
      rows.length,
    ]);
  }
  return rows.length;
}
