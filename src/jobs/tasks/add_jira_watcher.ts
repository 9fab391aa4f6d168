import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { jiraAccountForUser } from '../../jira/accounts.js';
import { defineTask } from '../defineTask.js';

/** The reporter watches the incident's ticket (when we know their Jira account). */
export default defineTask<AppDeps, z.ZodType<{ incidentId: number }>>({
  id: 'add_jira_watcher',
  payload: z.object({ incidentId: z.number().int().positive() }),
  async run({ incidentId }, { deps, logger }) {
    const incident = await deps.prisma.incident.findUnique({
      where: { id: incidentId },
      include: { jiraTicket: true },
    });
    if (!incident?.jiraTicket) return;
    if (!deps.jira) throw new AppError('JIRA_NOT_CONFIGURED', 'Jira is not configured', { retryable: true });
    const accountId = await jiraAccountForUser(deps, incident.createdById);
    if (!accountId) {
      logger.info({ incidentId }, 'reporter has no known Jira account; not added as watcher');
      return;
    }
    await deps.jira.addWatcher(incident.jiraTicket.key, accountId);
  },
});
