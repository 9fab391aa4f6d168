import { describe, expect, it } from 'vitest';
import { defaultMapping } from '../../src/config/defaultMapping.js';
import { incidentStatusFromJira, priorityFromJira, transitionPath } from '../../src/domain/jiraSync.js';
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

describe('a path through the workflow', () => {
  const workflow: Record<string, string[]> = {
    Incoming: ['in progress', 'Closed'],
    'in progress': ['Reporter validation', 'Closed'],
    'Reporter validation': ['in progress', 'Closed'],
    Closed: ['Incoming'],
  };
  const offered = (status: string) =>
    (workflow[status] ?? []).map((to, index) => ({ id: `${status}-${index}`, to }));

  it('takes the shortest way, step by step', () => {
    expect(
      transitionPath('Incoming', 'Reporter validation', offered, ['Closed'])!.map((step) => step.to),
    ).toEqual(['in progress', 'Reporter validation']);
    expect(transitionPath('in progress', 'in progress', offered, ['Closed'])).toEqual([]);
  });
  it('never passes through a terminal status, but may end in one', () => {
    expect(transitionPath('Incoming', 'Closed', offered, ['Closed'])!.map((step) => step.to)).toEqual([
      'Closed',
    ]);
    // Only way back to Incoming from in progress would be through Closed: refused.
    expect(transitionPath('in progress', 'Incoming', offered, ['Closed'])).toBeUndefined();
  });
  it('reads the transitions Jira really returns (real getTransitions payload; one has no destination)', () => {
    const real = fixtureJson<{ transitions: { id: string; to?: { name: string } }[] }>(
      'jira/rest-get-transitions.real.json',
    );
    // "Kicked" comes without `to`: a transition we cannot place is not a step we can plan.
    const fromAnywhere = () =>
      real.transitions.flatMap((transition) =>
        transition.to ? [{ id: transition.id, to: transition.to.name }] : [],
      );
    expect(fromAnywhere()).toHaveLength(3);
    expect(transitionPath('To Do', 'Done', fromAnywhere, [])).toEqual([{ id: '31', to: 'Done' }]);
  });
});
