import type { SlackRouter } from './router.js';
import type { WebClient } from '@slack/web-api';
import { openIncidentsVisibleTo } from '../../db/repositories/incidents.js';
import { markHomeOpened } from '../../db/repositories/users.js';
import type { AppDeps } from '../../deps.js';
import { appHomeView } from '../messages/appHome.js';
import { slackCall } from '../slackErrors.js';

/** Publish one person's App Home as it is now. */
export async function publishHome(
  deps: Pick<AppDeps, 'prisma' | 'config'> & { slack: WebClient },
  slackUserId: string,
): Promise<void> {
  const incidents = await openIncidentsVisibleTo(deps.prisma, slackUserId);
  const view = appHomeView(incidents, new Date(), deps.config.mapping.slack.command);
  await slackCall('views.publish', () => deps.slack.views.publish({ user_id: slackUserId, view }));
}

export function registerAppHome(router: SlackRouter, deps: AppDeps): void {
  router.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    try {
      await markHomeOpened(deps.prisma, event.user);
      await publishHome(deps, event.user);
    } catch (error) {
      // Nobody to answer (an event, not a request): the next opening or change tries again.
      deps.logger.warn({ err: error, user: event.user }, 'could not publish the App Home');
    }
  });
}
