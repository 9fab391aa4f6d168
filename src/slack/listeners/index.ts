import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import { registerIncidentCommand } from './commands/incidentCommand.js';
import { registerOpenFlow } from './openFlow.js';

/** Every Slack listener, registered once on the app. */
export function registerListeners(app: App, deps: AppDeps): void {
  registerIncidentCommand(app, deps);
  registerOpenFlow(app, deps);
}
