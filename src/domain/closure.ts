import { isCritical } from './priorities.js';
import { missingKeyEvents, type KeyEvents } from './keyEvents.js';
import { statusRank, type ClosureReason, type IncidentStatus } from './statusMachine.js';

export type ClosureBlockCode =
  | 'STATUS_NOT_MITIGATED'
  | 'MISSING_REQUIRED_KEY_EVENTS'
  | 'STATUS_NOT_POST_MORTEM'
  | 'POSTMORTEM_NOT_LINKED'
  | 'POSTMORTEM_NOT_READY'
  | 'POSTMORTEM_STATUS_UNKNOWN';

export interface ClosureCheckInput {
  status: IncidentStatus;
  priority: number;
  needsPostMortem: boolean;
  closureReason: ClosureReason | null;
  keyEvents: KeyEvents;
  /** The post-mortem issue, when one is linked: its Jira status, if known. */
  postMortem: { jiraStatus: string | null } | null;
  /** The post-mortem Jira status that lets the incident close (mapping `postMortem.readyStatus`). */
  postMortemReadyStatus: string;
}

export type ClosureCheck = { ok: boolean; reasons: { code: ClosureBlockCode; message: string }[] };

/**
 * Can this incident be closed, and if not, every reason why (one block each in Slack, with a
 * button that fixes it where one can). A closure reason (duplicate, false positive…) closes at
 * once.
 */
export function canBeClosed(input: ClosureCheckInput): ClosureCheck {
  if (input.closureReason) return { ok: true, reasons: [] };
  const reasons: ClosureCheck['reasons'] = [];
  // A linked post-mortem must be ready even if the incident no longer needs one (its priority
  // was lowered afterwards): lowering the priority is not a way around finishing it.
  if (input.needsPostMortem || input.postMortem) {
    if (input.needsPostMortem && input.status !== 'POST_MORTEM') {
      reasons.push({
        code: 'STATUS_NOT_POST_MORTEM',
        message: 'The incident must be in Post-mortem status before it can be closed.',
      });
    }
    if (!input.postMortem) {
      reasons.push({
        code: 'POSTMORTEM_NOT_LINKED',
        message:
          'No post-mortem is linked to this incident yet. It is created when the incident is mitigated; create it now with the postmortem command.',
      });
    } else if (input.postMortem.jiraStatus === null) {
      reasons.push({
        code: 'POSTMORTEM_STATUS_UNKNOWN',
        message:
          'The post-mortem status could not be read from Jira (unreachable or not configured). Try again in a minute.',
      });
    } else if (input.postMortem.jiraStatus.toLowerCase() !== input.postMortemReadyStatus.toLowerCase()) {
      reasons.push({
        code: 'POSTMORTEM_NOT_READY',
        message: `The post-mortem is "${input.postMortem.jiraStatus}" in Jira; it must be "${input.postMortemReadyStatus}". Finish it and move it to "${input.postMortemReadyStatus}" in Jira.`,
      });
    }
  } else if (statusRank(input.status) < statusRank('MITIGATED')) {
    reasons.push({
      code: 'STATUS_NOT_MITIGATED',
      message: 'The incident must be mitigated before it can be closed.',
    });
  }
  if (isCritical(input.priority)) {
    const missing = missingKeyEvents(input.keyEvents);
    if (missing.length > 0) {
      reasons.push({
        code: 'MISSING_REQUIRED_KEY_EVENTS',
        message: `Missing key events: ${missing.map((type) => type.toLowerCase()).join(', ')}.`,
      });
    }
  }
  return { ok: reasons.length === 0, reasons };
}
