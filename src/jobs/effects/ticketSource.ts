import type { AppDeps } from '../../deps.js';
import { loadIncidentCard } from '../../db/repositories/incidentCard.js';
import type { TicketSource } from '../../domain/jiraTicket.js';
import { isCritical } from '../../domain/priorities.js';
import { AppError } from '../../errors.js';
import { renderTemplate } from '../../templates/renderer.js';
import { jiraAccountForUser } from './jiraAccounts.js';

const extraLabels: Record<string, string> = {
  customerTicketId: 'Customer ticket',
  sellerContractId: 'Seller contract',
  sellerTicketId: 'Seller ticket',
};

/**
 * The reporter's Jira account, else the fallback. A failed lookup is retried (the caller's job
 * retries) until `acceptFallbackOnFailure`, so a Slack or Jira blip does not pin the fallback.
 */
async function reporterAccount(
  deps: AppDeps,
  reporterId: number,
  acceptFallbackOnFailure: boolean,
): Promise<string | null> {
  const fallback = deps.config.mapping.jira.fallbackReporterAccountId;
  try {
    return (await jiraAccountForUser(deps, reporterId)) ?? fallback;
  } catch (error) {
    if (!acceptFallbackOnFailure || (error as AppError).code !== 'JIRA_USER_LOOKUP_FAILED') throw error;
    deps.logger.warn(
      { err: error, reporterId },
      'reporter lookup keeps failing; using the fallback reporter',
    );
    return fallback;
  }
}

/** The ticket description: the incident's text in the ticket template (wiki markup). */
function describe(
  card: NonNullable<Awaited<ReturnType<typeof loadIncidentCard>>>,
  incidentId: number,
): string {
  return renderTemplate('jira/ticket_description', {
    critical: isCritical(card.priority.value),
    category: card.category.name,
    priority: card.priority,
    description: card.description,
    incidentId,
    incidentUrl: card.incidentUrl,
    environments: card.environments,
    platforms: card.platforms,
    featureTeam: card.featureTeam,
    reporter: card.reporterName,
    extra: Object.entries(card.customFields)
      .filter(([key, value]) => extraLabels[key] && value)
      .map(([key, value]) => [extraLabels[key], value]),
  });
}

async function cardOf(deps: AppDeps, incidentId: number) {
  const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
  if (!card) throw new AppError('INCIDENT_NOT_FOUND', `incident #${incidentId} does not exist`);
  return card;
}

/** The ticket description as it should read now (the sync pushes it when the description changes). */
export async function renderTicketDescription(deps: AppDeps, incidentId: number): Promise<string> {
  return describe(await cardOf(deps, incidentId), incidentId);
}

/** Gather what the ticket needs: incident, rendered description, reporter's Jira account. */
export async function loadTicketSource(
  deps: AppDeps,
  incidentId: number,
  options: { acceptFallbackOnFailure: boolean } = { acceptFallbackOnFailure: false },
): Promise<TicketSource> {
  const card = await cardOf(deps, incidentId);
  const { customFields } = card;
  const description = describe(card, incidentId);
  const reporterAccountId = await reporterAccount(deps, card.reporterId, options.acceptFallbackOnFailure);
  return {
    incidentId,
    markerId: deps.installation.markerId,
    title: card.title,
    description,
    priority: card.priority.value,
    environments: card.environments,
    platforms: card.platforms,
    category: card.category.name,
    featureTeam: card.featureTeam,
    businessImpact: card.businessImpact,
    customFields,
    reporterAccountId,
  };
}
