import { z } from 'zod';
import { recentHomeViewers } from '../../db/repositories/users.js';
import type { AppDeps } from '../../deps.js';
import { publishHome } from '../../slack/listeners/appHome.js';
import { defineTask } from '../defineTask.js';
import { runIndependentSteps } from '../steps.js';
import { TaskIds } from '../taskIds.js';

/** Whose Home is kept fresh: people who opened it in the last week. */
const VIEWERS_WITHIN_MS = 7 * 24 * 3600_000;

/**
 * An incident changed: republish the App Home of the people who look at it. One job for all
 * (keyed, delayed a moment), so a burst of changes republishes once.
 */
export default defineTask<AppDeps, z.ZodType<Record<string, unknown>>>({
  id: TaskIds.refreshAppHomes,
  payload: z.object({}).loose(),
  async run(_payload, { deps, logger }) {
    const viewers = await recentHomeViewers(deps.prisma, new Date(Date.now() - VIEWERS_WITHIN_MS));
    await runIndependentSteps(
      Object.fromEntries(viewers.map((viewer) => [`home of ${viewer}`, () => publishHome(deps, viewer)])),
      logger,
    );
  },
});
