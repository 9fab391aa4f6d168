import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { journal } from '../../db/repositories/syncState.js';
import { syncDelayed, syncFailed } from '../../slack/messages/syncNotices.js';
import { tellIncident } from '../../sync/notices.js';
import { syncTicket } from '../../sync/syncTicket.js';
import { defineTask } from '../defineTask.js';
import { incidentPayload } from '../payloads.js';
import { TaskIds } from '../taskIds.js';

const payload = incidentPayload.extend({ reason: z.enum(['change', 'reconcile']).default('change') });

/**
 * Bring the incident and its ticket in step (see syncTicket). One job per incident (job key)
 * whatever the number of edits: it reads both sides when it runs, so the latest state is what is
 * written, once per field. Jira down: the job retries with back-off and the channel hears it once.
 */
export default defineTask<AppDeps, typeof payload>({
  id: TaskIds.syncJiraTicket,
  payload,
  async run({ incidentId, reason }, { deps, logger }) {
    const result = await syncTicket(deps, incidentId, { kind: reason });
    if (result.pulled.length + result.pushed.length > 0) {
      logger.info({ incidentId, reason, ...result }, 'Jira sync');
    }
  },
  async onPermanentFailure({ incidentId }, error, { deps, jobId }) {
    // E.g. an expired token (401) or a forbidden project (403): say it, once, where people look.
    await journal(deps.prisma, [
      {
        incidentId,
        direction: 'OUTBOUND',
        field: 'ticket',
        outcome: 'failed',
        reason: `${error.code}: ${error.userMessage}`,
      },
    ]);
    await tellIncident(deps.prisma, incidentId, `sync-failed:${jobId}`, syncFailed(error.userMessage));
  },
  async onRetry({ incidentId, reason }, error, { deps, attempt, jobId }) {
    // A reconcile pass is silent about outages (it backs off); an incident change is not.
    if (attempt !== 1 || reason !== 'change') return;
    await tellIncident(deps.prisma, incidentId, `sync-delayed:${jobId}`, syncDelayed(error.userMessage));
  },
});
