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

/** The transitions Jira offers from a status: transition id → status it leads to. */
export type TransitionsFrom = (status: string) => readonly { id: string; to: string }[];

/**
 * Shortest sequence of transitions from `from` to `target` (breadth-first over what Jira offers
 * at each step) that never passes THROUGH a terminal status (ending in one is fine). Names are
 * compared case-insensitively. Returns [] when already there, undefined when unreachable.
 */
export function transitionPath(
  from: string,
  target: string,
  offered: TransitionsFrom,
  terminalStatuses: readonly string[],
  maxSteps = 10,
): { id: string; to: string }[] | undefined {
  if (norm(from) === norm(target)) return [];
  const terminal = new Set(terminalStatuses.map(norm));
  const seen = new Set([norm(from)]);
  let frontier: { status: string; path: { id: string; to: string }[] }[] = [{ status: from, path: [] }];
  for (let step = 0; step < maxSteps && frontier.length > 0; step += 1) {
    const next: typeof frontier = [];
    for (const { status, path } of frontier) {
      for (const transition of offered(status)) {
        const key = norm(transition.to);
        if (seen.has(key)) continue;
        const extended = [...path, transition];
        if (key === norm(target)) return extended;
        seen.add(key);
        if (!terminal.has(key)) next.push({ status: transition.to, path: extended });
      }
    }
    frontier = next;
  }
  return undefined;
}
