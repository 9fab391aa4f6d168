import type { IncidentCard } from '../../db/repositories/incidentCard.js';
import { MessageTypes, findMessage } from '../../db/repositories/slackMessages.js';
import type { AppDeps } from '../../deps.js';
import {
  alertNotice,
  incidentAnnouncement,
  incidentsChannelNotice,
  reporterNotice,
} from '../../slack/messages/incidentAnnouncement.js';
import { postOrUpdate } from './announcements.js';

/**
 * Steps that bring every message already posted about an incident (pinned announcement,
 * reporter DM, alert and incidents-channel lines) to its current state, edited in place. Only
 * posted messages are edited: the jobs that post them render the current state themselves.
 */
export function rerenderSteps(deps: AppDeps, card: IncidentCard): Record<string, () => Promise<unknown>> {
  const messages = [
    [MessageTypes.announcement, incidentAnnouncement(card)],
    [MessageTypes.reporterNotice, reporterNotice(card)],
    [MessageTypes.alertNotice, alertNotice(card)],
    [MessageTypes.incidentsChannelAnnouncement, incidentsChannelNotice(card)],
  ] as const;
  return Object.fromEntries(
    messages.map(([type, message]) => [
      `update ${type}`,
      async () => {
        const existing = await findMessage(deps.prisma, card.id, type);
        if (existing) await postOrUpdate(deps, card.id, type, existing.channelId, message);
      },
    ]),
  );
}
