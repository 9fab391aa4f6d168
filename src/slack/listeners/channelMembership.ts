import type { SlackRouter } from './router.js';
import {
  addIncidentMembers,
  incidentIdForChannel,
  removeIncidentMember,
} from '../../db/repositories/members.js';
import type { AppDeps } from '../../deps.js';
import { slackCall } from '../slackErrors.js';

/** Whether Slack says this person is in the channel now; undefined when Slack cannot say. */
async function inChannelNow(deps: AppDeps, channel: string, user: string): Promise<boolean | undefined> {
  try {
    let cursor: string | undefined;
    do {
      const page = await slackCall('conversations.members', () =>
        deps.slack.conversations.members({ channel, limit: 1000, ...(cursor ? { cursor } : {}) }),
      );
      if (page.members?.includes(user)) return true;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return false;
  } catch (error) {
    deps.logger.warn({ err: error, channel }, 'could not read the channel members; going by the event');
    return undefined;
  }
}

/**
 * Keep an incident's members in step with its channel: whoever joins may see the (private)
 * incident in pickers and lists; whoever leaves no longer does (unless they hold a role).
 * Join and leave events can be handled out of order (a join handled after the leave that
 * followed it would keep a removed person in a private incident): what Slack says now decides,
 * and the event itself only when Slack cannot say.
 */
export function registerChannelMembership(router: SlackRouter, deps: AppDeps): void {
  const follow = async (event: { channel: string; user: string }, joined: boolean) => {
    const incidentId = await incidentIdForChannel(deps.prisma, event.channel);
    if (incidentId === undefined) return;
    const member = (await inChannelNow(deps, event.channel, event.user)) ?? joined;
    if (member) await addIncidentMembers(deps.prisma, incidentId, [event.user]);
    else await removeIncidentMember(deps.prisma, incidentId, event.user);
  };
  router.event('member_joined_channel', ({ event }) => follow(event, true));
  router.event('member_left_channel', ({ event }) => follow(event, false));
}
