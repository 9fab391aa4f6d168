import type { JiraGateway } from '../jira/gateway.js';

const known = new WeakMap<JiraGateway, string>();

/**
 * The bot's own Jira account id (GET /myself), remembered once read. Only a shortcut: when Jira
 * cannot say, changes are still recognised as the bot's by their sync marks and the last
 * agreement, so nothing about correctness rests on this.
 */
export async function botAccountId(jira: JiraGateway): Promise<string | undefined> {
  const cached = known.get(jira);
  if (cached) return cached;
  try {
    const { accountId } = await jira.myself();
    if (accountId) known.set(jira, accountId);
    return accountId || undefined;
  } catch {
    return undefined;
  }
}
