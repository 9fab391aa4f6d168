import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import { enqueueJob } from './enqueue.js';
import { TaskIds, jobKeys } from './taskIds.js';

/**
 * Self-healing at start: every incident without a ticket gets a ticket job again. Covers Jira
 * configured after incidents were opened, and jobs that gave up (a fixed mapping, renewed
 * credentials). Pending jobs keep their schedule (`preserve_run_at`); the job itself makes sure
 * there is never a second ticket.
 */
export async function enqueueMissingTickets(prisma: PrismaClient, logger: Logger): Promise<number> {
  const missing = await prisma.incident.findMany({ where: { jiraTicket: null }, select: { id: true } });
  for (const { id } of missing) {
    await enqueueJob(
      prisma,
      TaskIds.createJiraTicket,
      { incidentId: id },
      { jobKey: jobKeys.jiraTicket(id), jobKeyMode: 'preserve_run_at' },
    );
  }
  if (missing.length)
    logger.info({ incidents: missing.length }, 'queued ticket jobs for incidents without a Jira ticket');
  return missing.length;
}
