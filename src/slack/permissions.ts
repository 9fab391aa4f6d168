import type { AppDeps } from '../deps.js';
import { slackCall } from './slackErrors.js';

/**
 * May this person see the bot's configuration (Jira account, field ids)? The configured admins
 * (slack.admins in the mapping file); with none configured, the workspace's admins and owners
 * as Slack knows them. Never "everyone": the doctor's report names accounts and ids.
 */
export async function isBotAdmin(deps: AppDeps, slackUserId: string): Promise<boolean> {
  const { admins } = deps.config.mapping.slack;
  if (admins.length > 0) return admins.includes(slackUserId);
  const info = await slackCall('users.info', () => deps.slack.users.info({ user: slackUserId }));
  return Boolean(info.user?.is_admin || info.user?.is_owner || info.user?.is_primary_owner);
}
