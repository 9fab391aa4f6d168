import { DESCRIPTION_MAX, DESCRIPTION_MIN, TITLE_MAX, TITLE_MIN } from './openIncidentForm.js';
import { isCritical, priorityByValue } from './priorities.js';
import { checkTransition, label, type ClosureReason, type IncidentStatus } from './statusMachine.js';
import { unsafeCharacterError } from './userText.js';
import { keyEventProblems, type KeyEventType, type KeyEvents } from './keyEvents.js';

/** Where a change comes from: the same rules apply to all, the effects differ (no echo to Jira). */
export type ChangeOrigin = 'slack' | 'jira' | 'system';

/** What someone asks to change; absent fields stay as they are. */
export interface RequestedChange {
  status?: IncidentStatus;
  priority?: number;
  title?: string;
  description?: string;
  category?: string;
  environments?: string[];
  /** Slack user ids; null removes the role (never for the commander). */
  commander?: string;
  communicationLead?: string | null;
  /** The status-update message (required to reopen from MITIGATED). */
  message?: string;
  closureReason?: ClosureReason;
  closureReference?: string;
  /** Key events to set (declared is automatic and cannot be moved here). */
  keyEvents?: Partial<Record<Exclude<KeyEventType, 'DECLARED'>, Date>>;
}

export interface IncidentState {
  status: IncidentStatus;
  priority: number;
  title: string;
  description: string;
  category: string;
  environments: string[];
  commander: string | null;
  communicationLead: string | null;
  needsPostMortem: boolean;
  keyEvents: KeyEvents;
}

/** Fields of the incident itself. */
export type StateField =
  | 'status'
  | 'priority'
  | 'title'
  | 'description'
  | 'category'
  | 'environments'
  | 'commander'
  | 'communicationLead';
/** Anything a change can touch: a field, or a key event's time. */
export type ChangeField = StateField | `keyEvent:${KeyEventType}`;

/** One field that really changes, as people read it. */
export interface FieldChange {
  field: ChangeField;
  from: string;
  to: string;
}

/** A refusal, keyed by the form field it belongs to. */
export interface ChangeProblem {
  field: ChangeField | 'message' | 'closureReason' | `keyEvent:${KeyEventType}`;
  code: string;
  message: string;
}

const show: Record<StateField, (value: never) => string> = {
  status: (value: IncidentStatus) => label(value),
  priority: (value: number) => priorityByValue(value).name,
  title: (value: string) => value,
  description: (value: string) => value,
  category: (value: string) => value,
  environments: (value: string[]) => value.join(', '),
  commander: (value: string | null) => (value ? `<@${value}>` : '—'),
  communicationLead: (value: string | null) => (value ? `<@${value}>` : '—'),
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function textProblem(
  field: 'title' | 'description',
  value: string,
  min: number,
  max: number,
): ChangeProblem | undefined {
  const unsafe = unsafeCharacterError(value);
  if (unsafe) return { field, code: 'UNSAFE_TEXT', message: unsafe };
  const length = value.trim().length;
  if (length < min || length > max) {
    return { field, code: 'LENGTH', message: `Must be ${min}–${max} characters (it has ${length}).` };
  }
  return undefined;
}

/**
 * Check a requested change against the rules (status machine, text rules, roles) and list what
 * really changes. Pure: the command applies the result.
 *
 * A status synced from Jira already went through Jira's own workflow: it may skip or go back
 * over statuses (forcing Slack's step-by-step moves on it would leave the two apart for good).
 * Closing is the exception: it must meet the incident's closing rules whoever asks.
 */
export function planChange(
  state: IncidentState,
  request: RequestedChange,
  now: Date,
  origin: ChangeOrigin = 'slack',
): { changes: FieldChange[]; problems: ChangeProblem[] } {
  const problems: ChangeProblem[] = [];
  const changes: FieldChange[] = [];
  const consider = <K extends StateField>(field: K, next: IncidentState[K] | undefined) => {
    if (next === undefined || same(next, state[field])) return;
    changes.push({ field, from: show[field](state[field] as never), to: show[field](next as never) });
  };

  const followsJiraWorkflow = origin === 'jira' && request.status !== 'CLOSED';
  if (request.status && request.status !== state.status && !followsJiraWorkflow) {
    const check = checkTransition({
      from: state.status,
      to: request.status,
      needsPostMortem: state.needsPostMortem,
      message: request.message,
      closureReason: request.closureReason,
    });
    if (!check.ok) {
      const field =
        check.code === 'JUSTIFICATION_REQUIRED'
          ? 'message'
          : check.code === 'CLOSURE_REASON_REQUIRED'
            ? 'closureReason'
            : 'status';
      problems.push({ field, code: check.code, message: check.message });
    }
  }
  if (request.title !== undefined) {
    const problem = textProblem('title', request.title, TITLE_MIN, TITLE_MAX);
    if (problem) problems.push(problem);
  }
  if (request.description !== undefined) {
    const problem = textProblem('description', request.description, DESCRIPTION_MIN, DESCRIPTION_MAX);
    if (problem) problems.push(problem);
  }
  if (request.environments !== undefined && request.environments.length === 0) {
    problems.push({ field: 'environments', code: 'REQUIRED', message: 'Choose at least one environment.' });
  }
  if (request.message !== undefined) {
    const unsafe = unsafeCharacterError(request.message);
    if (unsafe) problems.push({ field: 'message', code: 'UNSAFE_TEXT', message: unsafe });
  }
  if (request.keyEvents) {
    const merged = { ...state.keyEvents, ...request.keyEvents };
    for (const problem of keyEventProblems(merged, now)) {
      problems.push({
        field: `keyEvent:${problem.event}`,
        code: 'KEY_EVENT_ORDER',
        message: problem.message,
      });
    }
  }
  if (problems.length > 0) return { changes: [], problems };

  consider('status', request.status);
  consider('priority', request.priority);
  consider('title', request.title?.trim());
  consider('description', request.description?.trim());
  consider('category', request.category);
  consider('environments', request.environments);
  consider('commander', request.commander);
  consider('communicationLead', request.communicationLead);
  for (const [type, at] of Object.entries(request.keyEvents ?? {}) as [KeyEventType, Date][]) {
    // The form shows whole seconds: the same second is no change.
    const before = state.keyEvents[type];
    if (before && Math.floor(before.getTime() / 1000) === Math.floor(at.getTime() / 1000)) continue;
    changes.push({
      field: `keyEvent:${type}`,
      from: state.keyEvents[type]?.toISOString() ?? '—',
      to: at.toISOString(),
    });
  }
  return { changes, problems };
}

/** P4–P5 raised to P1–P3 now needs its channel; P1–P3 lowered keeps it but follows P4–P5 rules. */
export function escalation(from: number, to: number): 'escalated' | 'deescalated' | undefined {
  if (!isCritical(from) && isCritical(to)) return 'escalated';
  if (isCritical(from) && !isCritical(to)) return 'deescalated';
  return undefined;
}
