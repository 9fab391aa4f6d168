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
  /** The post-mortem issue, when one is linked, and what Jira says of it now. */
  postMortem: { key: string; reading: PostMortemReading } | null;
  /** Post-mortems are Jira issues: without Jira none can be made or read (default true). */
  jiraConfigured?: boolean;
  /** The post-mortem Jira status that lets the incident close (mapping `postMortem.readyStatus`). */
  postMortemReadyStatus: string;
}

/** The linked post-mortem's state in Jira, read when a close needs it (never cached). */
export type PostMortemReading =
  | { kind: 'status'; name: string }
  /** Jira did not answer, or refused the read (the reason says which). */
  | { kind: 'unreadable'; why: string }
  /** 404: deleted in Jira, or the bot can no longer see it. */
  | { kind: 'gone' };

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
    const reason = postMortemReason(input);
    if (reason) reasons.push(reason);
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

/** Why the post-mortem holds the close, if it does: each message says what to do. */
function postMortemReason(input: ClosureCheckInput): ClosureCheck['reasons'][number] | null {
  const postMortem = input.postMortem;
  if (!postMortem) {
    return {
      code: 'POSTMORTEM_NOT_LINKED',
      message:
        input.jiraConfigured === false
          ? 'No post-mortem is linked to this incident, and none can be created: post-mortems are Jira issues and this bot has no Jira connection. An operator must configure Jira first.'
          : 'No post-mortem is linked to this incident yet. It is created when the incident is mitigated; create it now with the postmortem command.',
    };
  }
  const { key, reading } = postMortem;
  if (reading.kind === 'gone') {
    return {
      code: 'POSTMORTEM_NOT_LINKED',
      message: `Post-mortem ${key} can no longer be found in Jira (deleted, or the bot lost access to it). Create a new one with the postmortem command.`,
    };
  }
  if (reading.kind === 'unreadable') {
    return {
      code: 'POSTMORTEM_STATUS_UNKNOWN',
      message: `The status of post-mortem ${key} could not be read from Jira (${reading.why}). Try again in a minute.`,
    };
  }
  const ready = input.postMortemReadyStatus;
  if (reading.name.toLowerCase() === ready.toLowerCase()) return null;
  return {
    code: 'POSTMORTEM_NOT_READY',
    message: `Post-mortem ${key} is "${reading.name}" in Jira; it must be "${ready}". Finish it and move it to "${ready}" in Jira.`,
  };
}
