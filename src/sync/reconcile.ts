import type { AppDeps } from '../deps.js';
import { asAppError } from '../errors.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { TaskIds, jiraQueue, jobKeys } from '../jobs/taskIds.js';
import type { Logger } from '../logger.js';

/** Longest pause between reconcile attempts while Jira stays unreachable. */
const MAX_PAUSE_MS = 60 * 60_000;

/**
 * The self-healing pass: every open incident with a live ticket gets a sync job (the same rules
 * as a delivery; repairs are journalled), so a lost webhook heals within one interval. Jira is
 * asked once first: while it is down the pass is skipped, and the wait doubles each time (one
 * call per pass, not one per incident), so an outage is never hammered.
 */
export async function reconcileAll(deps: AppDeps, logger: Logger): Promise<{ enqueued: number }> {
  if (!deps.jira) return { enqueued: 0 };
  const installation = await deps.prisma.installation.findUnique({ where: { id: 1 } });
  if (installation?.reconcilePausedUntil && installation.reconcilePausedUntil > new Date()) {
    return { enqueued: 0 };
  }
  try {
    await deps.jira.myself();
  } catch (thrown) {
    const error = asAppError(thrown);
    const failures = (installation?.reconcileFailures ?? 0) + 1;
    const intervalMs = Math.max(1, deps.config.env.JIRA_RECONCILE_INTERVAL_MINUTES) * 60_000;
    const pauseMs = Math.min(MAX_PAUSE_MS, intervalMs * 2 ** (failures - 1));
    await deps.prisma.installation.update({
      where: { id: 1 },
      data: { reconcileFailures: failures, reconcilePausedUntil: new Date(Date.now() + pauseMs) },
    });
    logger.warn(
      { err: error, code: error.code, failures, pauseMs },
      'Jira unreachable: reconcile skipped, backing off',
    );
    return { enqueued: 0 };
  }
  if (installation && (installation.reconcileFailures > 0 || installation.reconcilePausedUntil)) {
    await deps.prisma.installation.update({
      where: { id: 1 },
      data: { reconcileFailures: 0, reconcilePausedUntil: null },
    });
  }
  const open = await deps.prisma.incident.findMany({
    where: { status: { not: 'CLOSED' }, jiraTicket: { deletedAt: null } },
    select: { id: true },
  });
  for (const { id } of open) {
    // A sync already waiting (a push, or one backing off) covers this: leave it as it is.
    await enqueueJob(
      deps.prisma,
      TaskIds.syncJiraTicket,
      { incidentId: id, reason: 'reconcile' },
      { jobKey: jobKeys.jiraSync(id), jobKeyMode: 'unsafe_dedupe', queueName: jiraQueue(id) },
    );
  }
  return { enqueued: open.length };
}
