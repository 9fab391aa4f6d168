import type { Db } from '../db/prisma.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { TaskIds, jobKeys } from '../jobs/taskIds.js';

/** Ask for the incident's post-mortem now: the same job and key as the automatic one (once). */
export async function requestPostMortem(db: Db, incidentId: number): Promise<void> {
  await enqueueJob(
    db,
    TaskIds.createPostMortem,
    { incidentId },
    { jobKey: jobKeys.postMortem(incidentId), jobKeyMode: 'unsafe_dedupe' },
  );
}
