import { loadIncidentCard, type IncidentCard } from '../../db/repositories/incidentCard.js';
import { addIncidentMembers } from '../../db/repositories/members.js';
import { MessageTypes } from '../../db/repositories/slackMessages.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  announceInIncidentsChannel,
  bookmarkOnce,
  postOrUpdate,
  postPinnedAnnouncement,
} from '../effects/announcements.js';
import { ensureIncidentChannel } from '../effects/incidentChannel.js';
import { inviteUsers } from '../../slack/inviteUsers.js';
import { incidentTopic, inviteFailuresNotice } from '../../slack/messages/incidentAnnouncement.js';
import { reportFailureToReporter } from '../effects/reportFailure.js';
import { slackCall } from '../../slack/slackErrors.js';
import { defineTask } from '../defineTask.js';
import { incidentPayload } from '../payloads.js';
import { TaskIds, jobKeys, slackQueue } from '../taskIds.js';
import { enqueueLinkJobs } from '../linkJobs.js';
import { enqueueJob } from '../enqueue.js';
import { runIndependentSteps } from '../steps.js';

/** Invite, record who got in as members (they may see the incident), and say who did not. */
async function inviteAndRecord(
  deps: AppDeps,
  card: IncidentCard,
  channelId: string,
  users: readonly string[],
  logger: Logger,
): Promise<void> {
  const { failed } = await inviteUsers(deps.slack, channelId, users, logger);
  const failedIds = new Set(failed.map((failure) => failure.user));
  await addIncidentMembers(
    deps.prisma,
    card.id,
    users.filter((user) => !failedIds.has(user)),
  );
  if (failed.length > 0) {
    await postOrUpdate(deps, card.id, MessageTypes.inviteFailures, channelId, inviteFailuresNotice(failed));
  }
}

/**
 * P1–P3: create (or adopt) the channel, then independent steps, at once: topic, reporter invited,
 * announcement posted and pinned, incidents channel told, responders invited, incident page
 * bookmarked, Jira links. One failing step never skips the others; each is safe to repeat, so a
 * retry after a partial run finishes the job without duplicates.
 */
export default defineTask<AppDeps, typeof incidentPayload>({
  id: TaskIds.createIncidentChannel,
  payload: incidentPayload,
  async run({ incidentId }, { deps, logger }) {
    const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
    if (!card) throw new AppError('INCIDENT_NOT_FOUND', `incident #${incidentId} does not exist`);

    const channel = await ensureIncidentChannel(deps.prisma, deps.slack, card);
    const withChannel = { ...card, channel: { id: channel.id, name: channel.name } };
    const { responders, respondersByCategory } = deps.config.mapping.slack;
    const others = [...responders, ...(respondersByCategory[card.category.name] ?? [])].filter(
      (user) => user !== card.reporterSlackId,
    );
    await runIndependentSteps(
      {
        topic: () =>
          slackCall('conversations.setTopic', () =>
            deps.slack.conversations.setTopic({ channel: channel.id, topic: incidentTopic(withChannel) }),
          ),
        'invite the reporter': () =>
          card.reporterSlackId
            ? inviteAndRecord(deps, card, channel.id, [card.reporterSlackId], logger)
            : Promise.resolve(),
        announcement: () => postPinnedAnnouncement(deps, withChannel, channel.id),
        'incidents channel': () => announceInIncidentsChannel(deps, withChannel),
        'invite the responders': () => inviteAndRecord(deps, card, channel.id, others, logger),
        'incident page bookmark': () =>
          card.incidentUrl
            ? bookmarkOnce(deps, incidentId, MessageTypes.incidentPageBookmark, channel.id, {
                title: 'Incident Page',
                link: card.incidentUrl,
              })
            : Promise.resolve(),
        // If the ticket already exists, link it both ways now that the channel does too.
        'Jira links': () => enqueueLinkJobs(deps.prisma, incidentId),
        // A post-mortem made before the channel existed gets its pin and bookmark here.
        'post-mortem in the channel': async () => {
          if (!card.postMortem) return;
          await enqueueJob(
            deps.prisma,
            TaskIds.finishPostMortem,
            { incidentId },
            { jobKey: jobKeys.postMortemFinish(incidentId), queueName: slackQueue(incidentId) },
          );
        },
      },
      logger,
      { concurrently: true },
    );
    logger.info({ incidentId, channel: channel.name, created: channel.created }, 'incident channel ready');
  },
  async onPermanentFailure({ incidentId }, error, { deps }) {
    await reportFailureToReporter(deps, incidentId, 'Creating the incident channel', error);
  },
});
