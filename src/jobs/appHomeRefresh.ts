import type { Db } from '../db/prisma.js';
import { enqueueJob } from './enqueue.js';
import { APP_HOME_DELAY_MS, APP_HOME_JOB_KEY, TaskIds } from './taskIds.js';

/** In the transaction of any change: the App Homes are republished once, shortly after. */
export async function enqueueAppHomeRefresh(db: Db): Promise<void> {
  await enqueueJob(
    db,
    TaskIds.refreshAppHomes,
    {},
    {
      jobKey: APP_HOME_JOB_KEY,
      runAt: new Date(Date.now() + APP_HOME_DELAY_MS),
    },
  );
}
