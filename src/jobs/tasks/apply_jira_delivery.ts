import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { applyDelivery, finishDelivery } from '../../sync/inbound/applyDelivery.js';
import { defineTask } from '../defineTask.js';
import { TaskIds } from '../taskIds.js';

const payload = z.object({ deliveryRowId: z.number().int().positive() });

/**
 * A recorded Jira webhook delivery, applied once (the row's state says whether it already was).
 * Runs in the incident's Jira queue, after and before that incident's other sync jobs.
 */
export default defineTask<AppDeps, typeof payload>({
  id: TaskIds.applyJiraDelivery,
  payload,
  async run({ deliveryRowId }, { deps }) {
    await applyDelivery(deps, deliveryRowId);
  },
  async onPermanentFailure({ deliveryRowId }, error, { deps }) {
    await finishDelivery(deps.prisma, deliveryRowId, 'FAILED', `${error.code}: ${error.message}`);
  },
});
