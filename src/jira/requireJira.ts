import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import type { JiraGateway } from './gateway.js';

/** The Jira gateway, or a retryable "not configured" (the job waits until Jira is set up). */
export function requireJira(deps: Pick<AppDeps, 'jira'>): JiraGateway {
  if (!deps.jira) {
    throw new AppError('JIRA_NOT_CONFIGURED', 'Jira is not configured (JIRA_BASE_URL unset)', {
      retryable: true,
      userMessage: 'Jira is not configured yet (JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN).',
    });
  }
  return deps.jira;
}
