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

/** Every Slack listener, registered once on the app. */
export function registerListeners(app: App, deps: AppDeps): void {
  registerIncidentCommand(app, deps);
  registerOpenFlow(app, deps);
  registerChannelMembership(app, deps);
  registerUpdateFlow(app, deps);
  registerCloseFlow(app, deps);
  registerKeyEventsFlow(app, deps);
  registerAppHome(app, deps);
  registerPostMortemFlow(app, deps);
}
