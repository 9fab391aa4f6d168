import type { Db } from '../db/prisma.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { TaskIds, jobKeys, postMortemQueue } from '../jobs/taskIds.js';

/** What became of an earlier request for the same post-mortem when this one arrived. */
export type EarlierRequest = 'none' | 'waiting' | 'running';

/**
 * Ask for the incident's post-mortem now (automatically at Mitigated, or by hand). One key per
 * incident, in `replace` mode: a request arriving while an earlier attempt waits in back-off
 * (Jira was down) brings it forward to now, instead of being swallowed until the back-off ends.
 * One queue per incident: a request arriving while an attempt runs waits for it, so two never
 * search-then-create side by side (the second finds the row and does nothing).
 */
export async function enqueuePostMortem(db: Db, incidentId: number): Promise<void> {
  await enqueueJob(
    db,
    TaskIds.createPostMortem,
    { incidentId },
    { jobKey: jobKeys.postMortem(incidentId), queueName: postMortemQueue(incidentId) },
  );
}

/** enqueuePostMortem, telling a person who asked what became of an earlier request. */
export async function requestPostMortem(db: Db, incidentId: number): Promise<EarlierRequest> {
  const [earlier] = await db.$queryRaw<{ locked_at: Date | null }[]>`
    select locked_at from graphile_worker._private_jobs where key = ${jobKeys.postMortem(incidentId)}`;
  await enqueuePostMortem(db, incidentId);
  if (!earlier) return 'none';
  return earlier.locked_at ? 'running' : 'waiting';
}
