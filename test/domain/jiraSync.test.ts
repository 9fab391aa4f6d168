import { describe, expect, it } from 'vitest';
import { defaultMapping } from '../../src/config/defaultMapping.js';
import {
  decideField,
  incidentStatusFromJira,
  nextTransition,
  priorityFromJira,
} from '../../src/domain/jiraSync.js';
import { statusRank } from '../../src/domain/statusMachine.js';
import { fixtureJson } from '../support/fixtures.js';

const { jira } = defaultMapping;

describe('Jira → incident maps', () => {
  it('statuses by name, case-insensitively; unmapped ones mean nothing to do', () => {
    expect(incidentStatusFromJira('In Progress', jira.statusFromJira)).toBe('MITIGATING');
    expect(incidentStatusFromJira('closed', jira.statusFromJira)).toBe('CLOSED');
    expect(incidentStatusFromJira('Waiting for support', jira.statusFromJira)).toBeUndefined();
  });
  it('priorities as numbers or names', () => {
    expect(priorityFromJira('2', jira.priorityNames)).toBe(2);
    expect(priorityFromJira('P4', jira.priorityNames)).toBe(4);
    expect(priorityFromJira('highest', jira.priorityNames)).toBe(1);
    expect(priorityFromJira('Blocker', jira.priorityNames)).toBeUndefined();
    expect(priorityFromJira('7', jira.priorityNames)).toBeUndefined();
  });
});

describe('a path through the workflow, found step by step', () => {
  // FireFighter's workflow: Incoming → Pending resolution → in progress → Reporter validation → Closed.
  const workflow: Record<string, string[]> = {
    Incoming: ['Pending resolution', 'Closed'],
    'Pending resolution': ['in progress', 'Incoming', 'Closed'],
    'in progress': ['Reporter validation', 'Pending resolution', 'Closed'],
    'Reporter validation': ['in progress', 'Closed'],
    Closed: ['Incoming'],
  };
  const offered = (status: string) =>
    (workflow[status] ?? []).map((to, index) => ({ id: `${status}-${index}`, to }));
  const rank = (status: string) => {
    const mapped = incidentStatusFromJira(status, jira.statusFromJira);
    return mapped === undefined ? undefined : statusRank(mapped);
  };
  /** Walk as the sync does: ask Jira what it offers, take one step, repeat. */
  const walk = (from: string, target: string) => {
    const visited: string[] = [];
    let current = from;
    while (current.toLowerCase() !== target.toLowerCase()) {
      const step = nextTransition({
        current,
        target,
        offered: offered(current),
        terminalStatuses: jira.terminalStatuses,
        visited,
        rank,
      });
      if (!step) return undefined;
      visited.push(current);
      current = step.to;
      if (visited.length > 10) throw new Error('loops');
    }
    return visited.slice(1).concat(current);
  };

  it('goes through intermediate statuses towards the target (Incoming → in progress passes Pending resolution)', () => {
    expect(walk('Incoming', 'in progress')).toEqual(['Pending resolution', 'in progress']);
    expect(walk('Incoming', 'Reporter validation')).toEqual([
      'Pending resolution',
      'in progress',
      'Reporter validation',
    ]);
    expect(walk('Reporter validation', 'Incoming')).toEqual([
      'in progress',
      'Pending resolution',
      'Incoming',
    ]);
  });
  it('never passes through a terminal status, but may end in one', () => {
    expect(walk('in progress', 'Closed')).toEqual(['Closed']);
    // From Closed the only way is out to Incoming (the target here), never through Closed again.
    expect(walk('Closed', 'in progress')).toEqual(['Incoming', 'Pending resolution', 'in progress']);
    const noWayButThroughClosed = { Incoming: ['Closed'], Closed: ['in progress'] } as Record<
      string,
      string[]
    >;
    expect(
      nextTransition({
        current: 'Incoming',
        target: 'in progress',
        offered: (noWayButThroughClosed.Incoming ?? []).map((to) => ({ id: to, to })),
        terminalStatuses: ['Closed'],
        visited: [],
        rank,
      }),
    ).toBeUndefined();
  });
  it('reads the transitions Jira really returns (real getTransitions payload; one has no destination)', () => {
    const real = fixtureJson<{ transitions: { id: string; name: string; to?: { name: string } }[] }>(
      'jira/rest-get-transitions.real.json',
    );
    // "Kicked" comes without `to`: a transition we cannot place is never taken.
    const offeredNow = real.transitions.map((transition) => ({ id: transition.id, to: transition.to?.name }));
    expect(offeredNow.filter((step) => step.to === undefined)).toHaveLength(1);
    expect(
      nextTransition({
        current: 'To Do',
        target: 'Done',
        offered: offeredNow,
        terminalStatuses: [],
        visited: [],
        rank,
      }),
    ).toEqual({ id: '31', to: 'Done' });
  });
});

describe('which side wins a field (against the last agreement)', () => {
  const base = { incidentValue: 'A', jiraValue: 'a' };
  const decide = (incidentValue: string, jiraValue: string, jiraIsNewer: boolean, withBase = true) =>
    decideField({ agree: false, incidentValue, jiraValue, base: withBase ? base : undefined, jiraIsNewer });

  it('the side whose last change of the field is newer', () => {
    expect(decide('A', 'b', true)).toBe('pull');
    expect(decide('B', 'a', false)).toBe('push');
    expect(decide('B', 'c', true)).toBe('pull');
    expect(decide('B', 'c', false)).toBe('push');
    expect(decide('B', 'c', true, false)).toBe('pull');
  });
  it('a side edited back to the base value after the other changed still wins (A → B → A is an edit)', () => {
    // Jira moved to b; then the incident was set to B and back to A after that: the incident is newer.
    expect(decide('A', 'b', false)).toBe('push');
  });
  it('agreement is nothing to do; a divergence neither side made since is kept (a refused change)', () => {
    expect(decideField({ agree: true, incidentValue: 'B', jiraValue: 'c', base, jiraIsNewer: true })).toBe(
      'in-sync',
    );
    expect(decideField({ agree: false, incidentValue: 'A', jiraValue: 'a', base, jiraIsNewer: true })).toBe(
      'keep',
    );
  });
});
