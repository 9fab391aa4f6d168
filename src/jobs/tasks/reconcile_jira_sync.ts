import type { AppDeps } from '../../deps.js';
import { reconcileAll } from '../../sync/reconcile.js';
import { defineTask } from '../defineTask.js';
import { z } from 'zod';
import { TaskIds } from '../taskIds.js';

const payload = z.object({}).loose();

/** Every few minutes (crontab): re-read every open incident's ticket and repair drift. */
export default defineTask<AppDeps, typeof payload>({
  id: TaskIds.reconcileJiraSync,
  payload,
  async run(_payload, { deps, logger }) {
    await reconcileAll(deps, logger);
  },
});
