/**
 * The incident status lifecycle: OPEN → INVESTIGATING → MITIGATING → MITIGATED → POST_MORTEM →
 * CLOSED, which moves are allowed from where, and what a move needs. Pure.
 */
export const statuses = [
  'OPEN',
  'INVESTIGATING',
  'MITIGATING',
  'MITIGATED',
  'POST_MORTEM',
  'CLOSED',
] as const;
export type IncidentStatus = (typeof statuses)[number];

/** Position in the lifecycle (OPEN 0 … CLOSED 5): "at least MITIGATED" and friends. */
export const statusRank = (status: IncidentStatus): number => statuses.indexOf(status);

export const closureReasons = [
  'RESOLVED',
  'DUPLICATE',
  'FALSE_POSITIVE',
  'SUPERSEDED',
  'EXTERNAL',
  'CANCELLED',
] as const;
export type ClosureReason = (typeof closureReasons)[number];

/** Reopening from MITIGATED needs a justification at least this long. */
export const REOPEN_JUSTIFICATION_MIN = 10;
export const REOPEN_JUSTIFICATION_REQUIRED =
  'A detailed justification (minimum 10 characters) is required when reopening an incident from MITIGATED status.';

/**
 * Moves offered from each status, beyond staying where it is. Incidents that need a post-mortem
 * go MITIGATED → POST_MORTEM → CLOSED; the others close from MITIGATED.
 */
const withPostMortem: Record<IncidentStatus, readonly IncidentStatus[]> = {
  OPEN: ['INVESTIGATING', 'CLOSED'],
  INVESTIGATING: ['MITIGATING', 'CLOSED'],
  MITIGATING: ['MITIGATED'],
  MITIGATED: ['POST_MORTEM', 'INVESTIGATING', 'MITIGATING'],
  POST_MORTEM: ['CLOSED'],
  CLOSED: [],
};
const withoutPostMortem: Record<IncidentStatus, readonly IncidentStatus[]> = {
  OPEN: ['INVESTIGATING', 'CLOSED'],
  INVESTIGATING: ['MITIGATING', 'CLOSED'],
  MITIGATING: ['MITIGATED'],
  MITIGATED: ['CLOSED', 'INVESTIGATING', 'MITIGATING'],
  // Reached while a post-mortem was owed, then the priority or environments changed: it must
  // still be able to close (the reference has no move here, which strands such incidents).
  POST_MORTEM: ['CLOSED'],
  CLOSED: [],
};

/** The statuses a person may pick from `from`, the current one first (it is always offered). */
export function allowedTargets(from: IncidentStatus, needsPostMortem: boolean): IncidentStatus[] {
  return [from, ...(needsPostMortem ? withPostMortem : withoutPostMortem)[from]];
}

/** Going back from MITIGATED to an earlier working status is a reopening. */
export const isReopening = (from: IncidentStatus, to: IncidentStatus): boolean =>
  from === 'MITIGATED' && (to === 'INVESTIGATING' || to === 'MITIGATING');

/** Closing before anything was mitigated needs a closure reason (duplicate, false positive…). */
export const needsClosureReason = (from: IncidentStatus, to: IncidentStatus): boolean =>
  to === 'CLOSED' && (from === 'OPEN' || from === 'INVESTIGATING');

export type TransitionCheck =
  | { ok: true }
  | {
      ok: false;
      code: 'TRANSITION_NOT_ALLOWED' | 'JUSTIFICATION_REQUIRED' | 'CLOSURE_REASON_REQUIRED';
      message: string;
    };

/** Is this move allowed, with what it needs? The message is what the person reads. */
export function checkTransition(input: {
  from: IncidentStatus;
  to: IncidentStatus;
  needsPostMortem: boolean;
  message?: string | undefined;
  closureReason?: ClosureReason | undefined;
}): TransitionCheck {
  const { from, to } = input;
  if (from === to) return { ok: true };
  if (!allowedTargets(from, input.needsPostMortem).includes(to)) {
    return {
      ok: false,
      code: 'TRANSITION_NOT_ALLOWED',
      message: `An incident cannot go from ${label(from)} to ${label(to)}. Allowed: ${
        allowedTargets(from, input.needsPostMortem).slice(1).map(label).join(', ') || 'none'
      }.`,
    };
  }
  if (isReopening(from, to) && (input.message?.trim().length ?? 0) < REOPEN_JUSTIFICATION_MIN) {
    return { ok: false, code: 'JUSTIFICATION_REQUIRED', message: REOPEN_JUSTIFICATION_REQUIRED };
  }
  if (needsClosureReason(from, to) && (!input.closureReason || input.closureReason === 'RESOLVED')) {
    return {
      ok: false,
      code: 'CLOSURE_REASON_REQUIRED',
      message: 'Closing an incident that was never mitigated needs a reason other than "resolved".',
    };
  }
  return { ok: true };
}

/** "Post-mortem", "Investigating": how a status reads. */
export function label(status: IncidentStatus): string {
  return status.charAt(0) + status.slice(1).toLowerCase().replace('_', '-');
}
