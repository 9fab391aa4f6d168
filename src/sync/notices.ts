import { createHash } from 'node:crypto';
import type { Db } from '../db/prisma.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { TaskIds, slackQueue } from '../jobs/taskIds.js';

/**
 * Say something about the sync in the incident's channel (the reporter's DM without one), once:
 * the same `identity` (what happened, to which value, at which Jira change) posts one message,
 * however often the job that found it is retried.
 */
export async function tellIncident(
  db: Db,
  incidentId: number,
  identity: string,
  text: string,
): Promise<void> {
  const key = createHash('sha256').update(identity).digest('hex').slice(0, 24);
  await enqueueJob(
    db,
    TaskIds.postSyncNotice,
    { incidentId, key, text },
    { jobKey: `incident:${incidentId}:sync-notice:${key}`, queueName: slackQueue(incidentId) },
  );
}
