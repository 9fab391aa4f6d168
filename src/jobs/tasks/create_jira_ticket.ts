import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { INCIDENT_PROPERTY, markerLabel, ticketFields } from '../../domain/jiraTicket.js';
import {
  clearCreateIntent,
  findCreateIntent,
  recordCreateAttempt,
} from '../../db/repositories/createIntents.js';
import { AppError, asAppError } from '../../errors.js';
import { outcomeUnknown } from '../../jira/errors.js';
import type { Logger } from '../../logger.js';
import type { JiraGateway, JiraIssueRef } from '../../jira/gateway.js';
import { loadTicketSource } from '../../jira/ticketSource.js';
import { noticeJiraDelayed, noticeJiraFailed } from '../../slack/jiraNotices.js';
import { defineTask } from '../defineTask.js';
import { enqueueJob } from '../enqueue.js';
import { enqueueLinkJobs } from '../linkJobs.js';
import { TaskIds, jobKeys } from '../taskIds.js';

function requireJira(deps: AppDeps): JiraGateway {
  if (!deps.jira) {
    throw new AppError('JIRA_NOT_CONFIGURED', 'Jira is not configured (JIRA_BASE_URL unset)', {
      retryable: true,
      userMessage: 'Jira is not configured yet (JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN).',
    });
  }
  return deps.jira;
}

/** Confirm-before-create key of an incident's ticket (see CreateIntent). */
const ticketIntentKey = (incidentId: number) => `jira-ticket:${incidentId}`;

/**
 * Find the incident's ticket in Jira, or create it: exactly once, even when an answer is lost.
 * 1. Search by the installation's marker label: found → adopt.
 * 2. Not found, but an earlier create's outcome is unknown (timeout, 5xx, crash before we
 *    stored it) and Jira's search may still lag behind it → wait and search again; never create.
 * 3. Otherwise record the attempt (committed), create, and clear the intent once the answer says
 *    for sure (a 201, or a 4xx that proves nothing was made).
 */
async function findOrCreateTicket(
  deps: AppDeps,
  jira: JiraGateway,
  incidentId: number,
  logger: Logger,
): Promise<JiraIssueRef> {
  const source = await loadTicketSource(deps, incidentId);
  const { projectKey, fields } = ticketFields(source, deps.config.mapping.jira);
  const found = (await jira.findIssuesByLabel(markerLabel(source.markerId, incidentId)))[0];
  if (found) {
    logger.warn({ incidentId, key: found.key }, 'adopting a ticket Jira already had for this incident');
    return found;
  }
  const intentKey = ticketIntentKey(incidentId);
  const intent = await findCreateIntent(deps.prisma, intentKey);
  const lagMs = deps.config.env.JIRA_SEARCH_LAG_MS;
  const sinceLastTry = intent ? Date.now() - intent.lastAttemptAt.getTime() : Infinity;
  if (sinceLastTry < lagMs) {
    throw new AppError(
      'JIRA_OUTCOME_UNKNOWN',
      `an earlier create of the ticket for incident #${incidentId} got no answer; searching again before creating`,
      {
        retryable: true,
        retryAfterMs: lagMs - sinceLastTry,
        userMessage: 'Jira did not confirm the ticket; the bot is checking before trying again.',
      },
    );
  }
  await recordCreateAttempt(deps.prisma, intentKey);
  try {
    const issue = await jira.createIssue(
      fields,
      [{ key: INCIDENT_PROPERTY, value: { incidentId } }],
      projectKey,
    );
    logger.info({ incidentId, key: issue.key }, 'Jira ticket created');
    return issue;
  } catch (thrown) {
    const error = asAppError(thrown);
    if (!outcomeUnknown(error)) await clearCreateIntent(deps.prisma, intentKey);
    throw error;
  }
}

/**
 * Exactly one Jira ticket per incident, for every priority: our row first, then
 * findOrCreateTicket. The row has a unique incident id. Follow-ups (watcher, remote links,
 * Slack links) are separate jobs.
 */
export default defineTask<AppDeps, z.ZodType<{ incidentId: number }>>({
  id: 'create_jira_ticket',
  payload: z.object({ incidentId: z.number().int().positive() }),
  async run({ incidentId }, { deps, logger }) {
    if (await deps.prisma.jiraTicket.findUnique({ where: { incidentId } })) {
      await deps.prisma.$transaction((tx) => enqueueLinkJobs(tx, incidentId));
      return;
    }
    const jira = requireJira(deps);
    const created = await findOrCreateTicket(deps, jira, incidentId, logger);
    await deps.prisma.$transaction(async (tx) => {
      await tx.jiraTicket.create({
        data: {
          incidentId,
          jiraId: created.id,
          key: created.key,
          projectKey: created.key.slice(0, created.key.lastIndexOf('-')),
          url: jira.browseUrl(created.key),
        },
      });
      await tx.incidentUpdate.create({
        data: {
          incidentId,
          eventType: 'NOTE',
          source: 'SYSTEM',
          message: `Jira ticket ${created.key} created`,
        },
      });
      await enqueueJob(
        tx,
        TaskIds.addJiraWatcher,
        { incidentId },
        { jobKey: jobKeys.jiraWatcher(incidentId) },
      );
      await enqueueLinkJobs(tx, incidentId);
      await clearCreateIntent(tx, ticketIntentKey(incidentId));
    });
  },
  async onRetry({ incidentId }, error, { deps, attempt }) {
    if (attempt === 1) await noticeJiraDelayed(deps, incidentId, error);
  },
  async onPermanentFailure({ incidentId }, error, { deps }) {
    await deps.prisma.incidentUpdate.create({
      data: {
        incidentId,
        eventType: 'NOTE',
        source: 'SYSTEM',
        message: `Jira ticket creation failed: ${error.userMessage}`,
      },
    });
    await noticeJiraFailed(deps, incidentId, error);
  },
});
