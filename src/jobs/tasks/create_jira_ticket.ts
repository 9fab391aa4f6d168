import type { AppDeps } from '../../deps.js';
import { INCIDENT_PROPERTY, markerLabel, ticketFields } from '../../domain/jiraTicket.js';
import { clearCreateIntent } from '../../db/repositories/createIntents.js';
import { asAppError } from '../../errors.js';
import { addSystemNote } from '../../db/repositories/history.js';
import { storeTicket, ticketOf } from '../../db/repositories/tickets.js';
import { forgetJiraAccount } from '../../db/repositories/users.js';
import type { Logger } from '../../logger.js';
import type { JiraGateway, JiraIssueRef } from '../../jira/gateway.js';
import { requireJira } from '../../jira/requireJira.js';
import { loadTicketSource } from '../effects/ticketSource.js';
import { findOrCreateOnce } from '../effects/createOnce.js';
import { noticeJiraDelayed, noticeJiraFailed } from '../effects/jiraNotices.js';
import { defineTask } from '../defineTask.js';
import { incidentPayload } from '../payloads.js';
import { enqueueJob } from '../enqueue.js';
import { enqueueLinkJobs } from '../linkJobs.js';
import { TaskIds, jiraQueue, jobKeys, slackQueue } from '../taskIds.js';

/**
 * Create the ticket; if Jira refuses only the reporter (an account deleted or from another site,
 * or a reporter field the bot may not set), create it without one and say so in the history: a
 * person's account never blocks the incident's ticket. A stored account Jira does not know is
 * forgotten, to be looked up again.
 */
async function createDroppingRefusedReporter(
  deps: AppDeps,
  jira: JiraGateway,
  request: { incidentId: number; projectKey: string; fields: Record<string, unknown> },
  logger: Logger,
): Promise<CreatedTicket> {
  const { incidentId, projectKey, fields } = request;
  const properties = [{ key: INCIDENT_PROPERTY, value: { incidentId } }];
  try {
    return { issue: await jira.createIssue(fields, properties, projectKey) };
  } catch (thrown) {
    const error = asAppError(thrown);
    const fieldErrors = (error.details.fieldErrors ?? {}) as Record<string, string>;
    const reporter = fields.reporter as { id: string } | undefined;
    if (error.code !== 'JIRA_INVALID_REQUEST' || !fieldErrors.reporter || !reporter) throw error;
    logger.warn(
      { incidentId, reason: fieldErrors.reporter },
      'Jira refused the reporter; creating without it',
    );
    await forgetJiraAccount(deps.prisma, reporter.id);
    const { reporter: _dropped, ...withoutReporter } = fields;
    // Nothing is written between this create and storing the ticket: a failure there would
    // look like "not created" and risk a second ticket.
    const issue = await jira.createIssue(withoutReporter, properties, projectKey);
    return {
      issue,
      note: `Jira refused the reporter (${fieldErrors.reporter}); the ticket was created without one.`,
    };
  }
}

/** A ticket found or made, and what the history should say about how. */
interface CreatedTicket {
  issue: JiraIssueRef;
  note?: string;
}

/** Confirm-before-create key of an incident's ticket (see CreateIntent). */
const ticketIntentKey = (incidentId: number) => `jira-ticket:${incidentId}`;

/** Find the incident's ticket in Jira, or create it, exactly once (see findOrCreateOnce). */
async function findOrCreateTicket(
  deps: AppDeps,
  jira: JiraGateway,
  incidentId: number,
  context: { logger: Logger; attempt: number },
): Promise<CreatedTicket> {
  const { logger } = context;
  // Reporter lookups that fail are retried a few times before the fallback reporter is used.
  const source = await loadTicketSource(deps, incidentId, { acceptFallbackOnFailure: context.attempt >= 3 });
  const { projectKey, fields } = ticketFields(source, deps.config.mapping.jira);
  const result = await findOrCreateOnce(deps, {
    intentKey: ticketIntentKey(incidentId),
    label: markerLabel(source.markerId, incidentId),
    what: `the ticket for incident #${incidentId}`,
    create: () => createDroppingRefusedReporter(deps, jira, { incidentId, projectKey, fields }, logger),
  });
  if ('adopted' in result) {
    logger.warn(
      { incidentId, key: result.issue.key },
      'adopting a ticket Jira already had for this incident',
    );
    return { issue: result.issue };
  }
  logger.info({ incidentId, key: result.issue.key }, 'Jira ticket created');
  return result;
}

/**
 * Exactly one Jira ticket per incident, for every priority: our row first, then
 * findOrCreateTicket. The row has a unique incident id. Follow-ups (watcher, remote links,
 * Slack links) are separate jobs.
 */
export default defineTask<AppDeps, typeof incidentPayload>({
  id: TaskIds.createJiraTicket,
  payload: incidentPayload,
  async run({ incidentId }, { deps, logger, attempt }) {
    const existing = await ticketOf(deps.prisma, incidentId);
    if (existing && !existing.deletedAt) {
      await deps.prisma.$transaction((tx) => enqueueLinkJobs(tx, incidentId));
      return;
    }
    const jira = requireJira(deps);
    const { issue: created, note } = await findOrCreateTicket(deps, jira, incidentId, { logger, attempt });
    await deps.prisma.$transaction(async (tx) => {
      await storeTicket(tx, {
        incidentId,
        jiraId: created.id,
        key: created.key,
        projectKey: created.key.slice(0, created.key.lastIndexOf('-')),
        url: jira.browseUrl(created.key),
      });
      await addSystemNote(tx, incidentId, `Jira ticket ${created.key} created`);
      if (note) await addSystemNote(tx, incidentId, note);
      await enqueueJob(
        tx,
        TaskIds.addJiraWatcher,
        { incidentId },
        { jobKey: jobKeys.jiraWatcher(incidentId) },
      );
      await enqueueLinkJobs(tx, incidentId);
      // Changes made while the ticket was being created (and the commander, as assignee) follow.
      await enqueueJob(
        tx,
        TaskIds.syncJiraTicket,
        { incidentId, reason: 'change' },
        { jobKey: jobKeys.jiraSync(incidentId), queueName: jiraQueue(incidentId) },
      );
      if (await tx.postMortem.findUnique({ where: { incidentId } })) {
        // A post-mortem made before this ticket existed (or while it was deleted) gets its link now.
        await enqueueJob(
          tx,
          TaskIds.finishPostMortem,
          { incidentId },
          { jobKey: jobKeys.postMortemFinish(incidentId), queueName: slackQueue(incidentId) },
        );
      }
      await clearCreateIntent(tx, ticketIntentKey(incidentId));
    });
  },
  async onRetry({ incidentId }, error, { deps, attempt }) {
    if (attempt === 1) await noticeJiraDelayed(deps, incidentId, error);
  },
  async onPermanentFailure({ incidentId }, error, { deps }) {
    await addSystemNote(deps.prisma, incidentId, `Jira ticket creation failed: ${error.userMessage}`);
    await noticeJiraFailed(deps, incidentId, error);
  },
});
