import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import { registerIncidentCommand } from './slashCommands/incidentCommand.js';
import { registerChannelMembership } from './channelMembership.js';
import { registerOpenFlow } from './openFlow.js';
import { registerAppHome } from './appHome.js';
import { registerCloseFlow } from './closeFlow.js';
import { registerKeyEventsFlow } from './keyEventsFlow.js';
import { registerUpdateFlow } from './updateFlow.js';
import { registerPostMortemFlow } from './postMortemFlow.js';
import { SlackRouter } from './router.js';

/** Every flow's Slack listeners, by id. */
export function listenerRouter(deps: AppDeps): SlackRouter {
  const router = new SlackRouter();
  registerIncidentCommand(router, deps);
  registerOpenFlow(router, deps);
  registerChannelMembership(router, deps);
  registerUpdateFlow(router, deps);
  registerCloseFlow(router, deps);
  registerKeyEventsFlow(router, deps);
  registerAppHome(router, deps);
  registerPostMortemFlow(router, deps);
  return router;
}

/** Every Slack listener, registered once on the app: one Bolt listener per kind of request. */
export function registerListeners(app: App, deps: AppDeps): void {
  listenerRouter(deps).mount(app, deps.logger);
}
