import { z } from 'zod';
import { loadIncidentCard } from '../../db/repositories/incidentCard.js';
import { MessageTypes, findMessage } from '../../db/repositories/slackMessages.js';
import type { AppDeps } from '../../deps.js';
import { asAppError } from '../../errors.js';
import type { JiraGateway } from '../../jira/gateway.js';
import { requireJira } from '../../jira/requireJira.js';
import type { Logger } from '../../logger.js';
import { postMortemCreated, postMortemNotAssigned } from '../../slack/messages/postMortemMessages.js';
import { slackCallTolerating } from '../../slack/slackErrors.js';
import { jiraAccountOfSlackUser } from '../../sync/accounts.js';
import { tellIncident } from '../../sync/notices.js';
import { bookmarkOnce } from '../effects/announcements.js';
import { postOnce } from '../effects/postOnce.js';
import { rerenderSteps } from '../effects/rerender.js';
import { defineTask } from '../defineTask.js';
import { incidentPayload } from '../payloads.js';
import { runIndependentSteps } from '../steps.js';
import { TaskIds } from '../taskIds.js';

const linksSchema = z.array(
  z
    .object({
      inwardIssue: z.object({ key: z.string() }).loose().optional(),
      outwardIssue: z.object({ key: z.string() }).loose().optional(),
    })
    .loose(),
);

/**
 * Link the post-mortem to the incident ticket, once: an existing link is kept; otherwise the
 * configured link types are tried in order among those Jira has ("Relates", "Blocks", "Relates
 * to" by default). No usable type is a warning, never a failure of the post-mortem.
 */
async function linkToTicket(
  deps: AppDeps,
  jira: JiraGateway,
  pmKey: string,
  ticketKey: string,
  logger: Logger,
) {
  const issue = await jira.readIssue(pmKey, ['issuelinks']);
  const links = linksSchema.safeParse(issue.fields.issuelinks ?? []);
  const linked = (links.success ? links.data : []).some(
    (link) => link.inwardIssue?.key === ticketKey || link.outwardIssue?.key === ticketKey,
  );
  if (linked) return;
  const available = new Set((await jira.linkTypeNames()).map((name) => name.toLowerCase()));
  for (const type of deps.config.mapping.postMortem.linkTypes) {
    if (!available.has(type.toLowerCase())) continue;
    try {
      await jira.linkIssues(type, pmKey, ticketKey);
      return;
    } catch (error) {
      const appError = asAppError(error);
      if (appError.retryable) throw appError;
      logger.warn({ err: appError, type }, 'link type refused; trying the next one');
    }
  }
  logger.warn({ pmKey, ticketKey }, 'no configured link type could link the post-mortem to the ticket');
}

/**
 * After the post-mortem exists: linked to the incident ticket, assigned to the commander (a
 * failure is said in the channel, never an error), a pinned "📔 The post-mortem has been
 * created" message, a "Postmortem (KEY)" bookmark and the announcement edited with the link.
 * Independent steps: one failing never blocks the others, each is done once.
 */
export default defineTask<AppDeps, typeof incidentPayload>({
  id: TaskIds.finishPostMortem,
  payload: incidentPayload,
  async run({ incidentId }, { deps, logger }) {
    const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
    const postMortem = card?.postMortem;
    if (!card || !postMortem) return;
    const jira = requireJira(deps);
    const ticket = await deps.prisma.jiraTicket.findUnique({ where: { incidentId } });
    const channel = card.channel;
    await runIndependentSteps(
      {
        'link to the ticket': async () => {
          if (ticket && !ticket.deletedAt) await linkToTicket(deps, jira, postMortem.key, ticket.key, logger);
        },
        'assign to the commander': async () => {
          const account = card.commanderSlackId
            ? await jiraAccountOfSlackUser(deps, card.commanderSlackId)
            : undefined;
          // Someone already assigned it in Jira (a re-run after a new ticket or channel): keep theirs.
          const current = await jira.readIssue(postMortem.key, ['assignee']);
          if (current.fields.assignee) return;
          let problem: string | undefined;
          if (!account) problem = 'the commander has no Jira account with the same email.';
          else {
            try {
              await jira.assignIssue(postMortem.key, account);
            } catch (error) {
              const appError = asAppError(error);
              if (appError.retryable) throw appError;
              problem = appError.userMessage;
            }
          }
          if (problem) {
            await tellIncident(
              deps.prisma,
              incidentId,
              `postmortem-unassigned:${postMortem.key}`,
              postMortemNotAssigned(postMortem.key, problem),
            );
          }
        },
        'pinned message': async () => {
          if (!channel) return;
          await postOnce(
            deps,
            incidentId,
            MessageTypes.postMortemCreated,
            channel.id,
            postMortemCreated(postMortem),
          );
          const posted = await findMessage(deps.prisma, incidentId, MessageTypes.postMortemCreated);
          if (posted) {
            await slackCallTolerating('pins.add', ['already_pinned'], () =>
              deps.slack.pins.add({ channel: posted.channelId, timestamp: posted.ts }),
            );
          }
        },
        bookmark: async () => {
          if (!channel) return;
          await bookmarkOnce(deps, incidentId, MessageTypes.postMortemBookmark, channel.id, {
            title: `Postmortem (${postMortem.key})`,
            link: postMortem.url,
            // A post-mortem made again (the first was deleted in Jira) replaces the old bookmark.
            replaces: (title) => title.startsWith('Postmortem ('),
          });
        },
        ...rerenderSteps(deps, card),
      },
      logger,
      { concurrently: true },
    );
  },
});
