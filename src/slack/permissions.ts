import type { AppDeps } from '../deps.js';
import { holdsRole, isIncidentMember } from '../db/repositories/members.js';
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

export const STATUS_CHANGE_REFUSED =
  'You may not change the status, priority or roles of this incident, or close it: ask its commander (or a member of the incident team configured for that).';

/**
 * May this person change the incident's status and close it (mapping `lifecycle.statusChangers`)?
 * `channel-members`: its reporter, role holders and channel members. `commander-and-group`: its
 * commander, or a member of `lifecycle.statusUserGroupId` (asked of Slack each time: group
 * membership changes without telling us).
 */
export async function mayChangeStatus(
  deps: AppDeps,
  incidentId: number,
  slackUserId: string,
): Promise<boolean> {
  const { statusChangers, statusUserGroupId } = deps.config.mapping.lifecycle;
  if (statusChangers === 'channel-members') return isIncidentMember(deps.prisma, incidentId, slackUserId);
  if (await holdsRole(deps.prisma, incidentId, 'commander', slackUserId)) return true;
  if (!statusUserGroupId) return false;
  const group = await slackCall('usergroups.users.list', () =>
    deps.slack.usergroups.users.list({ usergroup: statusUserGroupId }),
  );
  return (group.users ?? []).includes(slackUserId);
}
