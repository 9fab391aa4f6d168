import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { INCIDENT_PROPERTY, markerLabel, ticketFields } from '../../domain/jiraTicket.js';
import { AppError } from '../../errors.js';
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

/**
 * Exactly one Jira ticket per incident, for every priority. Before creating, look for one: our
 * row first, then Jira itself by the marker label set at creation — so a crash between "Jira
 * created it" and "we stored it" adopts that ticket instead of making a second. The row has a
 * unique incident id. Follow-ups (watcher, remote links, Slack links) are separate jobs.
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
    const source = await loadTicketSource(deps, incidentId);
    const { projectKey, fields } = ticketFields(source, deps.config.mapping.jira);

    let issue: JiraIssueRef | undefined = (await jira.findIssuesByLabel(markerLabel(incidentId)))[0];
    if (issue) {
      logger.warn({ incidentId, key: issue.key }, 'adopting a ticket Jira already had for this incident');
    } else {
      issue = await jira.createIssue(fields, [{ key: INCIDENT_PROPERTY, value: { incidentId } }], projectKey);
      logger.info({ incidentId, key: issue.key }, 'Jira ticket created');
    }
    const created = issue;
    await deps.prisma.$transaction(async (tx) => {
      await tx.jiraTicket.create({
        data: {
          incidentId,
          jiraId: created.id,
          key: created.key,
          projectKey: created.key.split('-')[0] ?? projectKey,
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
