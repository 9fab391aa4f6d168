import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import { enqueueJob } from './enqueue.js';
import { TaskIds, jobKeys } from './taskIds.js';

/**
 * Self-healing at start: every incident without a ticket gets a ticket job again. Covers Jira
 * configured after incidents were opened, and jobs that gave up (a fixed mapping, renewed
 * credentials: a job that gave up is gone). A job still pending or failing is left exactly as it
 * is (`unsafe_dedupe`: no reset of its attempts or back-off); the job itself makes sure there is
 * never a second ticket.
 */
export async function enqueueMissingTickets(prisma: PrismaClient, logger: Logger): Promise<number> {
  const missing = await prisma.incident.findMany({ where: { jiraTicket: null }, select: { id: true } });
  for (const { id } of missing) {
    await enqueueJob(
      prisma,
      TaskIds.createJiraTicket,
      { incidentId: id },
      { jobKey: jobKeys.jiraTicket(id), jobKeyMode: 'unsafe_dedupe' },
    );
  }
  if (missing.length)
    logger.info({ incidents: missing.length }, 'queued ticket jobs for incidents without a Jira ticket');
  return missing.length;
}
