import type { Db } from '../db/prisma.js';
import { enqueueJob } from './enqueue.js';
import { TaskIds, jobKeys, slackQueue } from './taskIds.js';

/**
 * Ticket ⇄ Slack links need both sides to exist; whichever side finishes last enqueues them
 * (keyed, so a burst collapses into one job each). A no-op until the ticket exists.
 */
export async function enqueueLinkJobs(db: Db, incidentId: number): Promise<void> {
  const ticket = await db.jiraTicket.findUnique({ where: { incidentId }, select: { id: true } });
  if (!ticket) return;
  await enqueueJob(
    db,
    TaskIds.addJiraRemoteLinks,
    { incidentId },
    { jobKey: jobKeys.jiraRemoteLinks(incidentId) },
  );
  await enqueueJob(
    db,
    TaskIds.linkJiraInSlack,
    { incidentId },
    { jobKey: jobKeys.jiraSlackLinks(incidentId), queueName: slackQueue(incidentId) },
  );
}
