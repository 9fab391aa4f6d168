import { incidentContact } from '../../db/repositories/incidents.js';
import { ticketOf } from '../../db/repositories/tickets.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { jiraAccountForUser } from '../effects/jiraAccounts.js';
import { defineTask } from '../defineTask.js';
import { incidentPayload } from '../payloads.js';
import { TaskIds } from '../taskIds.js';

/** The reporter watches the incident's ticket (when we know their Jira account). */
export default defineTask<AppDeps, typeof incidentPayload>({
  id: TaskIds.addJiraWatcher,
  payload: incidentPayload,
  async run({ incidentId }, { deps, logger }) {
    const [ticket, incident] = await Promise.all([
      ticketOf(deps.prisma, incidentId),
      incidentContact(deps.prisma, incidentId),
    ]);
    if (!ticket || !incident) return;
    if (!deps.jira) throw new AppError('JIRA_NOT_CONFIGURED', 'Jira is not configured', { retryable: true });
    const accountId = await jiraAccountForUser(deps, incident.reporterId);
    if (!accountId) {
      logger.info({ incidentId }, 'reporter has no known Jira account; not added as watcher');
      return;
    }
    await deps.jira.addWatcher(ticket.key, accountId);
  },
});
