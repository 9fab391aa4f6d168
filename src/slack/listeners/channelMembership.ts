import type { SlackRouter } from './router.js';
import {
  addIncidentMembers,
  incidentIdForChannel,
  removeIncidentMember,
} from '../../db/repositories/members.js';
import type { AppDeps } from '../../deps.js';

/**
 * Keep an incident's members in step with its channel: whoever joins may see the (private)
 * incident in pickers and lists; whoever leaves no longer does (unless they hold a role).
 */
export function registerChannelMembership(router: SlackRouter, deps: AppDeps): void {
  router.event('member_joined_channel', async ({ event }) => {
    const incidentId = await incidentIdForChannel(deps.prisma, event.channel);
    if (incidentId !== undefined) await addIncidentMembers(deps.prisma, incidentId, [event.user]);
  });
  router.event('member_left_channel', async ({ event }) => {
    const incidentId = await incidentIdForChannel(deps.prisma, event.channel);
    if (incidentId !== undefined) await removeIncidentMember(deps.prisma, incidentId, event.user);
  });
}
