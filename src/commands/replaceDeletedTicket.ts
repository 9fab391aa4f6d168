import type { Db } from '../db/prisma.js';
import { ticketOf } from '../db/repositories/tickets.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { TaskIds, jobKeys } from '../jobs/taskIds.js';

/**
 * The incident's ticket was deleted in Jira: queue the creation of a new one (the same job and
 * key as at declaration, so it is created once). Returns whether one was queued.
 */
export async function replaceDeletedTicket(db: Db, incidentId: number): Promise<boolean> {
  const ticket = await ticketOf(db, incidentId);
  if (!ticket?.deletedAt) return false;
  await enqueueJob(db, TaskIds.createJiraTicket, { incidentId }, { jobKey: jobKeys.jiraTicket(incidentId) });
  return true;
}
