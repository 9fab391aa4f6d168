/**
 * Pure rules of the Jira ⇄ incident sync (groundwork for the two-way sync): which Jira status
 * an incident status maps to and back, how a Jira priority reads as 1–5, and a path through the
 * transitions Jira offers that never passes through a terminal status.
 */
import type { IncidentStatus } from './statusMachine.js';

const norm = (name: string) => name.trim().toLowerCase();

/** Jira status name → incident status (case-insensitive); unmapped → undefined (nothing to do). */
export function incidentStatusFromJira(
  jiraStatus: string,
  statusFromJira: Readonly<Record<string, IncidentStatus>>,
): IncidentStatus | undefined {
  const wanted = norm(jiraStatus);
  return Object.entries(statusFromJira).find(([name]) => norm(name) === wanted)?.[1];
}

/** A Jira priority as 1–5: a number ("2", "P2") or a name from the mapping (Highest…Lowest). */
export function priorityFromJira(
  value: string,
  priorityNames: Readonly<Record<string, number>>,
): number | undefined {
  const digits = /^\s*P?([1-5])\s*$/i.exec(value)?.[1];
  if (digits) return Number(digits);
  const wanted = norm(value);
  return Object.entries(priorityNames).find(([name]) => norm(name) === wanted)?.[1];
}

/** Incident fields kept in step with the ticket, both ways. */
export const SYNCED_FIELDS = ['status', 'priority', 'title', 'description', 'commander'] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];

/** What to do with one field: nothing, bring Jira's value in, or send the incident's out. */
export type FieldDecision = 'in-sync' | 'pull' | 'push' | 'keep';

/**
 * What to do with one field whose two sides disagree. `base` is the last point both sides agreed
 * on. Neither side moved since (a change the incident refused, e.g. a close while a post-mortem
 * is owed) → keep the disagreement rather than fight over it on every pass. Otherwise the side
 * whose last change of THIS field is newer wins — also when the other side's value merely came
 * back to the base (A → B → A is an edit, the latest one). No base (a ticket just made from the
 * incident, or from before the sync): the caller says which is newer.
 */
export function decideField(input: {
  agree: boolean;
  incidentValue: string;
  jiraValue: string;
  base?: { incidentValue: string; jiraValue: string } | undefined;
  jiraIsNewer: boolean;
}): FieldDecision {
  if (input.agree) return 'in-sync';
  const { base } = input;
  if (base && base.jiraValue === input.jiraValue && base.incidentValue === input.incidentValue) return 'keep';
  return input.jiraIsNewer ? 'pull' : 'push';
}

/** A transition Jira offers from the current status. */
export interface OfferedTransition {
  id: string;
  to?: string | undefined;
}

/**
 * The next step from `current` towards `target`, chosen among what Jira offers NOW (Jira only
 * tells the transitions of the status an issue is in, so the path is found step by step):
 * the target itself when offered; otherwise a mapped status not yet visited and not terminal (a
 * path may end in a terminal status, never pass through one), preferring those whose place in
 * the incident lifecycle (`rank`) lies between here and the target, nearest to the target
 * first. Undefined: nowhere left to go, so the caller stops and reports.
 */
export function nextTransition(input: {
  current: string;
  target: string;
  offered: readonly OfferedTransition[];
  terminalStatuses: readonly string[];
  visited: readonly string[];
  rank: (status: string) => number | undefined;
}): { id: string; to: string } | undefined {
  const { target, offered } = input;
  const direct = offered.find((step) => step.to !== undefined && norm(step.to) === norm(target));
  if (direct) return { id: direct.id, to: direct.to! };
  const terminal = new Set(input.terminalStatuses.map(norm));
  const visited = new Set([...input.visited, input.current].map(norm));
  const goal = input.rank(target);
  const here = input.rank(input.current);
  if (goal === undefined) return undefined;
  const low = Math.min(here ?? goal, goal);
  const high = Math.max(here ?? goal, goal);
  const candidates = offered
    .filter((step): step is { id: string; to: string } => step.to !== undefined)
    .filter((step) => !terminal.has(norm(step.to)) && !visited.has(norm(step.to)))
    .map((step) => ({ step, rank: input.rank(step.to) }))
    .filter((entry): entry is { step: { id: string; to: string }; rank: number } => entry.rank !== undefined)
    // Between here and the target first (a detour only when nothing closer is offered), then nearest.
    .map((entry) => ({ ...entry, detour: entry.rank < low || entry.rank > high ? 1 : 0 }))
    .sort((a, b) => a.detour - b.detour || Math.abs(goal - a.rank) - Math.abs(goal - b.rank));
  return candidates[0]?.step;
}
