import type { AppDeps } from '../deps.js';
import { loadIncidentCard } from '../db/repositories/incidentCard.js';
import type { TicketSource } from '../domain/jiraTicket.js';
import { isCritical, priorityByValue } from '../domain/priorities.js';
import { AppError } from '../errors.js';
import { renderTemplate } from '../templates/renderer.js';
import { jiraAccountForUser } from './accounts.js';

const extraLabels: Record<string, string> = {
  customerTicketId: 'Customer ticket',
  sellerContractId: 'Seller contract',
  sellerTicketId: 'Seller ticket',
};

/** Gather what the ticket needs: incident, rendered description, reporter's Jira account. */
export async function loadTicketSource(deps: AppDeps, incidentId: number): Promise<TicketSource> {
  const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
  if (!card) throw new AppError('INCIDENT_NOT_FOUND', `incident #${incidentId} does not exist`);
  const { customFields } = card;
  const description = renderTemplate('jira/ticket_description', {
    critical: isCritical(card.priority.value),
    category: card.category.name,
    priority: priorityByValue(card.priority.value),
    description: card.description,
    incidentId,
    incidentUrl: card.incidentUrl,
    environments: card.environments,
    platforms: card.platforms,
    featureTeam: card.featureTeam,
    reporter: card.reporterName,
    extra: Object.entries(customFields)
      .filter(([key, value]) => extraLabels[key] && value)
      .map(([key, value]) => [extraLabels[key], value]),
  });
  const reporterAccountId =
    (await jiraAccountForUser(deps, card.reporterId)) ?? deps.config.mapping.jira.fallbackReporterAccountId;
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
