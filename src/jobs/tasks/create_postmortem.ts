import { clearCreateIntent } from '../../db/repositories/createIntents.js';
import { addSystemNote } from '../../db/repositories/history.js';
import type { AppDeps } from '../../deps.js';
import { postMortemMarker } from '../../domain/postMortem.js';
import { AppError, asAppError } from '../../errors.js';
import type { JiraGateway, JiraIssueRef } from '../../jira/gateway.js';
import { requireJira } from '../../jira/requireJira.js';
import type { Logger } from '../../logger.js';
import { loadPostMortemData } from '../../postmortem/data.js';
import { postMortemFields, timelineHash } from '../../postmortem/issueFields.js';
import { postMortemDelayed, postMortemFailed } from '../../slack/messages/postMortemMessages.js';
import { tellIncident } from '../../sync/notices.js';
import { findOrCreateOnce } from '../effects/createOnce.js';
import { loadTicketSource } from '../effects/ticketSource.js';
import { defineTask } from '../defineTask.js';
import { enqueueJob } from '../enqueue.js';
import { incidentPayload } from '../payloads.js';
import { TaskIds, jobKeys, slackQueue } from '../taskIds.js';

const intentKey = (incidentId: number) => `jira-postmortem:${incidentId}`;

/**
 * A template that throws on this incident's data (the start-up check renders only samples) is a
 * configuration problem: retrying cannot help, and the channel is told which template to fix.
 */
function renderingTemplates<T>(render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = (error as Error).message.split('\n').slice(0, 3).join(' ');
    throw new AppError('CONFIG_INVALID', `a post-mortem template failed: ${message}`, {
      cause: error,
      userMessage: `a post-mortem template failed on this incident (${message}). Fix the template, restart the bot and run the postmortem command again.`,
    });
  }
}

/**
 * Create, and if the post-mortem's screen refuses some of the incident ticket's fields copied
 * onto it, create again without just those: copied fields are a courtesy, never a blocker.
 */
async function createDroppingRefusedCopies(
  jira: JiraGateway,
  request: { projectKey: string; fields: Record<string, unknown>; copied: string[]; incidentId: number },
  logger: Logger,
): Promise<{ issue: JiraIssueRef }> {
  const properties = [{ key: 'incident-bot', value: { incidentId: request.incidentId, kind: 'postmortem' } }];
  try {
    return { issue: await jira.createIssue(request.fields, properties, request.projectKey) };
  } catch (thrown) {
    const error = asAppError(thrown);
    const refused = Object.keys((error.details.fieldErrors ?? {}) as Record<string, string>);
    const onlyCopies = refused.length > 0 && refused.every((id) => request.copied.includes(id));
    if (error.code !== 'JIRA_INVALID_REQUEST' || !onlyCopies) throw error;
    logger.warn({ refused }, 'the post-mortem screen refused copied fields; creating without them');
    const fields = Object.fromEntries(Object.entries(request.fields).filter(([id]) => !refused.includes(id)));
    return { issue: await jira.createIssue(fields, properties, request.projectKey) };
  }
}

/**
 * Exactly one post-mortem issue per incident: our row first, then a search for its marker, then
 * a create (findOrCreateOnce — a crash between create and store adopts the issue). Linking,
 * assignment and the Slack side are the next job.
 */
export default defineTask<AppDeps, typeof incidentPayload>({
  id: TaskIds.createPostMortem,
  payload: incidentPayload,
  async run({ incidentId }, { deps, logger }) {
    const finish = (db: Parameters<typeof enqueueJob>[0]) =>
      enqueueJob(
        db,
        TaskIds.finishPostMortem,
        { incidentId },
        { jobKey: jobKeys.postMortemFinish(incidentId), queueName: slackQueue(incidentId) },
      );
    // Already made: its follow-ups ran then (and run again when a missing ticket or channel
    // appears); asking again must not reassign it or re-pin anything.
    if (await deps.prisma.postMortem.findUnique({ where: { incidentId } })) return;
    const jira = requireJira(deps);
    const { data, card } = await loadPostMortemData(deps, incidentId);
    const ticketSource = await loadTicketSource(deps, incidentId, { acceptFallbackOnFailure: true });
    const mitigatedAt = (await deps.prisma.incident.findUnique({ where: { id: incidentId } }))?.mitigatedAt;
    const request = renderingTemplates(() =>
      postMortemFields({
        mapping: deps.config.mapping,
        card,
        data,
        templates: deps.postMortemTemplates,
        ticketSource,
        markerId: deps.installation.markerId,
        now: mitigatedAt ?? new Date(),
      }),
    );
    const result = await findOrCreateOnce(deps, {
      intentKey: intentKey(incidentId),
      label: postMortemMarker(deps.installation.markerId, incidentId),
      what: `the post-mortem of incident #${incidentId}`,
      create: () => createDroppingRefusedCopies(jira, { ...request, incidentId }, logger),
    });
    const { issue } = result;
    await deps.prisma.$transaction(async (tx) => {
      await tx.postMortem.create({
        data: {
          incidentId,
          jiraId: issue.id,
          key: issue.key,
          url: jira.browseUrl(issue.key),
          // An adopted issue's timeline is unknown: the next refresh writes it.
          timelineHash: 'adopted' in result ? null : timelineHash(request.timeline),
        },
      });
      await addSystemNote(tx, incidentId, `Post-mortem ${issue.key} created`);
      await finish(tx);
      // Changes made while the issue was being created (or an adopted issue's older render):
      // the refresh writes the timeline only if it differs.
      await enqueueJob(
        tx,
        TaskIds.refreshPostMortemTimeline,
        { incidentId },
        { jobKey: jobKeys.postMortemTimeline(incidentId) },
      );
      await clearCreateIntent(tx, intentKey(incidentId));
    });
    logger.info({ incidentId, key: issue.key, adopted: 'adopted' in result }, 'post-mortem created');
  },
  async onRetry({ incidentId }, error, { deps, attempt, jobId }) {
    if (attempt !== 1) return;
    await tellIncident(
      deps.prisma,
      incidentId,
      `postmortem-delayed:${jobId}`,
      postMortemDelayed(error.userMessage),
    );
  },
  async onPermanentFailure({ incidentId }, error, { deps, jobId }) {
    await addSystemNote(deps.prisma, incidentId, `Post-mortem creation failed: ${error.userMessage}`);
    await tellIncident(
      deps.prisma,
      incidentId,
      `postmortem-failed:${jobId}`,
      postMortemFailed(error.userMessage, deps.config.mapping.slack.command),
    );
  },
});
