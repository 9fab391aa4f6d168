import type { JiraGateway } from '../jira/gateway.js';

/**
 * The post-mortem issue's Jira status, read now (never cached: people move it in Jira). Null
 * when Jira cannot say (down, not configured): closing then waits with POSTMORTEM_STATUS_UNKNOWN.
 */
export async function readPostMortemStatus(
  jira: JiraGateway | undefined,
  key: string,
): Promise<string | null> {
  if (!jira) return null;
  try {
    const issue = await jira.readIssue(key, ['status']);
    const status = issue.fields.status as { name?: unknown } | null | undefined;
    return typeof status?.name === 'string' ? status.name : null;
  } catch {
    return null;
  }
}
