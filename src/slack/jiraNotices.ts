import type { AppDeps } from '../deps.js';
import { MessageTypes, findMessage } from '../db/repositories/slackMessages.js';
import type { AppError } from '../errors.js';
import { postOrUpdate } from './channel/announcements.js';
import { mrkdwn } from './escape.js';

/** Where Jira news for an incident goes: its channel, else the reporter's DM. */
async function noticeTarget(deps: AppDeps, incidentId: number): Promise<string | undefined> {
  const incident = await deps.prisma.incident.findUnique({
    where: { id: incidentId },
    include: { slackChannel: true, createdBy: true },
  });
  return incident?.slackChannel?.channelId ?? incident?.createdBy.slackUserId ?? undefined;
}

const plain = (text: string) => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

/** One notice per incident, posted at the first failed attempt and edited afterwards. */
export async function noticeJiraDelayed(deps: AppDeps, incidentId: number, error: AppError): Promise<void> {
  if (await findMessage(deps.prisma, incidentId, MessageTypes.jiraDelayNotice)) return;
  const target = await noticeTarget(deps, incidentId);
  if (!target) return;
  const why = error.code === 'JIRA_NOT_CONFIGURED' ? 'Jira is not configured yet' : 'Jira is unreachable';
  await postOrUpdate(
    deps,
    incidentId,
    MessageTypes.jiraDelayNotice,
    target,
    plain(`:hourglass_flowing_sand: ${why}, ticket will be created automatically.`),
  );
}

export async function noticeJiraFailed(deps: AppDeps, incidentId: number, error: AppError): Promise<void> {
  const target = await noticeTarget(deps, incidentId);
  if (!target) return;
  await postOrUpdate(
    deps,
    incidentId,
    MessageTypes.jiraDelayNotice,
    target,
    plain(`:x: The Jira ticket could not be created: ${mrkdwn(error.userMessage)}`),
  );
}

/** Turn the delay notice, if there was one, into "Jira ticket created: KEY". */
export async function noticeJiraCreated(
  deps: AppDeps,
  incidentId: number,
  ticket: { key: string; url: string },
): Promise<void> {
  const notice = await findMessage(deps.prisma, incidentId, MessageTypes.jiraDelayNotice);
  if (!notice) return;
  await postOrUpdate(
    deps,
    incidentId,
    MessageTypes.jiraDelayNotice,
    notice.channelId,
    plain(`:white_check_mark: Jira ticket created: <${ticket.url}|${ticket.key}>`),
  );
}
