import type { PostMortemReading } from '../domain/closure.js';
import { settleWithin } from '../deadline.js';
import { asAppError } from '../errors.js';
import type { JiraGateway } from '../jira/gateway.js';

/**
 * What Jira says of the post-mortem issue now (never cached: people move it in Jira). A 404 is
 * "gone" (deleted, or hidden from the bot), which a new post-mortem can fix; anything else that
 * stops the read (Jira down, a refusal, no answer within `deadlineMs`) is "unreadable": closing
 * waits and says why. The deadline keeps a person's Slack form inside Slack's 3 seconds.
 */
export async function readPostMortemStatus(
  jira: JiraGateway | undefined,
  key: string,
  deadlineMs: number,
): Promise<PostMortemReading> {
  if (!jira) return { kind: 'unreadable', why: 'this bot has no Jira connection configured' };
  return settleWithin(read(jira, key), deadlineMs, () => ({
    kind: 'unreadable',
    why: `Jira did not answer within ${deadlineMs / 1000} s`,
  }));
}

async function read(jira: JiraGateway, key: string): Promise<PostMortemReading> {
  try {
    const issue = await jira.readIssue(key, ['status']);
    const status = issue.fields.status as { name?: unknown } | null | undefined;
    return typeof status?.name === 'string'
      ? { kind: 'status', name: status.name }
      : { kind: 'unreadable', why: 'Jira returned the issue without a status' };
  } catch (thrown) {
    const error = asAppError(thrown);
    if (error.code === 'JIRA_NOT_FOUND') return { kind: 'gone' };
    return { kind: 'unreadable', why: error.userMessage };
  }
}
