import { addSystemNote } from '../../db/repositories/history.js';
import { incidentContact } from '../../db/repositories/incidents.js';
import type { AppDeps } from '../../deps.js';
import type { AppError } from '../../errors.js';
import { mrkdwn } from '../../slack/escape.js';

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
    await addSystemNote(deps.prisma, incidentId, message);
    const incident = await incidentContact(deps.prisma, incidentId);
    const reporter = incident?.reporterSlackId;
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
