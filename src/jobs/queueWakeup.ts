import type { Queryable } from './workerHeartbeat.js';

/**
 * graphile-worker 0.17 completes a job without waiting, then looks for the next one at once:
 * the next job of the same named queue is still behind the queue's lock at that moment, and
 * would wait for the poll interval. A trigger that NOTIFYs when a queue is unlocked wakes the
 * workers exactly when that job becomes available. Installed (idempotently) after
 * graphile-worker has created its schema; several replicas installing it at once is harmless.
 */
export async function installQueueWakeup(db: Queryable): Promise<void> {
  await db.query(`
    create or replace function graphile_worker.incident_bot_queue_unlocked() returns trigger
    language plpgsql as $$
    begin
      perform pg_notify('jobs:insert', '{"count":1}');
      return null;
    end $$;
    drop trigger if exists incident_bot_queue_unlocked on graphile_worker._private_job_queues;
    create trigger incident_bot_queue_unlocked
      after update of locked_by on graphile_worker._private_job_queues
      for each row when (old.locked_by is not null and new.locked_by is null)
      execute function graphile_worker.incident_bot_queue_unlocked();
  `);
}
