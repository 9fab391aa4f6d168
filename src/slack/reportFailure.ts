import type { AppDeps } from '../deps.js';
import type { AppError } from '../errors.js';
import { mrkdwn } from './escape.js';

/**
 * A side effect failed for good: write it into the incident's history and tell the reporter
 * by DM with what to do. Never throws (the job that calls it is already failing).
 */
export async function reportFailureToReporter(
  deps: AppDeps,
  incidentId: number,
  what: string,
  error: AppError,
): Promise<void> {
  const message = `${what} failed: ${error.userMessage}`;
  try {
    await deps.prisma.incidentUpdate.create({
      data: { incidentId, eventType: 'NOTE', source: 'SYSTEM', message },
    });
    const incident = await deps.prisma.incident.findUnique({
      where: { id: incidentId },
      include: { createdBy: true },
    });
    const reporter = incident?.createdBy.slackUserId;
    if (!reporter) return;
    await deps.slack.chat.postMessage({
      channel: reporter,
      text:
        `:warning: Incident #${incidentId} (${mrkdwn(incident.title)}): ${mrkdwn(message)}\n` +
        'The incident itself is recorded. Ask an admin to check the bot (`/incident doctor`), or fix the cause and try again.',
    });
  } catch (reportError) {
    deps.logger.error(
      { err: reportError, incidentId, original: error.code },
      'could not report a failure to the reporter',
    );
  }
}
