import { describe, expect, it } from 'vitest';
import { canBeClosed, type ClosureCheckInput, type PostMortemReading } from '../../src/domain/closure.js';
import { incidentMetrics, keyEventProblems } from '../../src/domain/keyEvents.js';
import { needsPostMortem } from '../../src/domain/priorities.js';
import {
  REOPEN_JUSTIFICATION_REQUIRED,
  allowedTargets,
  checkTransition,
  statuses,
  type IncidentStatus,
} from '../../src/domain/statusMachine.js';

describe('allowed transitions (the current status is always offered first)', () => {
  it.each<[IncidentStatus, IncidentStatus[], IncidentStatus[]]>([
    ['OPEN', ['OPEN', 'INVESTIGATING', 'CLOSED'], ['OPEN', 'INVESTIGATING', 'CLOSED']],
    ['INVESTIGATING', ['INVESTIGATING', 'MITIGATING', 'CLOSED'], ['INVESTIGATING', 'MITIGATING', 'CLOSED']],
    ['MITIGATING', ['MITIGATING', 'MITIGATED'], ['MITIGATING', 'MITIGATED']],
    [
      'MITIGATED',
      ['MITIGATED', 'POST_MORTEM', 'INVESTIGATING', 'MITIGATING'],
      ['MITIGATED', 'CLOSED', 'INVESTIGATING', 'MITIGATING'],
    ],
    // Without a post-mortem owed any more (priority lowered), Post-mortem can still close.
    ['POST_MORTEM', ['POST_MORTEM', 'CLOSED'], ['POST_MORTEM', 'CLOSED']],
    ['CLOSED', ['CLOSED'], ['CLOSED']],
  ])('from %s', (from, withPostMortem, withoutPostMortem) => {
    expect(allowedTargets(from, true)).toEqual(withPostMortem);
    expect(allowedTargets(from, false)).toEqual(withoutPostMortem);
  });

  it('every pair is either allowed or refused with a message naming the allowed moves', () => {
    for (const needs of [true, false]) {
      for (const from of statuses) {
        for (const to of statuses) {
          const check = checkTransition({
            from,
            to,
            needsPostMortem: needs,
            message: 'Root cause found in the cache layer',
            closureReason: 'DUPLICATE',
          });
          expect(check.ok, `${from} → ${to} (post-mortem: ${needs})`).toBe(
            allowedTargets(from, needs).includes(to),
          );
          if (!check.ok) expect(check.message).toContain('cannot go from');
        }
      }
    }
  });

  it('reopening from MITIGATED needs a justification of at least 10 characters', () => {
    const reopen = (message?: string) =>
      checkTransition({ from: 'MITIGATED', to: 'INVESTIGATING', needsPostMortem: true, message });
    expect(reopen()).toEqual({
      ok: false,
      code: 'JUSTIFICATION_REQUIRED',
      message: REOPEN_JUSTIFICATION_REQUIRED,
    });
    expect(reopen('   too short  ')).toMatchObject({ ok: false, code: 'JUSTIFICATION_REQUIRED' });
    expect(reopen('Errors are back since 14:05')).toEqual({ ok: true });
  });

  it('closing from OPEN or INVESTIGATING needs a closure reason other than resolved', () => {
    for (const from of ['OPEN', 'INVESTIGATING'] as const) {
      expect(checkTransition({ from, to: 'CLOSED', needsPostMortem: false })).toMatchObject({
        ok: false,
        code: 'CLOSURE_REASON_REQUIRED',
      });
      expect(
        checkTransition({ from, to: 'CLOSED', needsPostMortem: false, closureReason: 'RESOLVED' }),
      ).toMatchObject({ ok: false });
      expect(
        checkTransition({ from, to: 'CLOSED', needsPostMortem: false, closureReason: 'FALSE_POSITIVE' }),
      ).toEqual({ ok: true });
    }
  });

  it('a post-mortem is owed by P1–P2 in a production environment only', () => {
    expect(needsPostMortem(1, ['PRD'], ['PRD'])).toBe(true);
    expect(needsPostMortem(2, ['STG', 'PRD'], ['PRD'])).toBe(true);
    expect(needsPostMortem(2, ['STG'], ['PRD'])).toBe(false);
    expect(needsPostMortem(3, ['PRD'], ['PRD'])).toBe(false);
  });
});

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 10, minutes));
const allKeyEvents = { STARTED: at(0), DETECTED: at(5), DECLARED: at(10), RECOVERED: at(40) };
const closable = (overrides: Partial<ClosureCheckInput>): ClosureCheckInput => ({
  status: 'MITIGATED',
  priority: 3,
  needsPostMortem: false,
  closureReason: null,
  keyEvents: allKeyEvents,
  postMortem: null,
  postMortemReadyStatus: 'Ready',
  ...overrides,
});
const codes = (input: ClosureCheckInput) => canBeClosed(input).reasons.map((reason) => reason.code);

describe('canBeClosed: every reason, with the reference codes', () => {
  it('a mitigated P3 with its key events closes', () => {
    expect(canBeClosed(closable({}))).toEqual({ ok: true, reasons: [] });
  });
  it('STATUS_NOT_MITIGATED below MITIGATED', () => {
    expect(codes(closable({ status: 'MITIGATING' }))).toEqual(['STATUS_NOT_MITIGATED']);
  });
  it('MISSING_REQUIRED_KEY_EVENTS for P1–P3, naming them; P4–P5 close without', () => {
    const check = canBeClosed(closable({ keyEvents: { DECLARED: at(10) } }));
    expect(check.reasons).toEqual([
      { code: 'MISSING_REQUIRED_KEY_EVENTS', message: 'Missing key events: started, detected, recovered.' },
    ]);
    expect(canBeClosed(closable({ priority: 4, keyEvents: { DECLARED: at(10) } })).ok).toBe(true);
  });
  it('with a post-mortem owed: STATUS_NOT_POST_MORTEM and POSTMORTEM_NOT_LINKED together', () => {
    expect(codes(closable({ needsPostMortem: true, priority: 1 }))).toEqual([
      'STATUS_NOT_POST_MORTEM',
      'POSTMORTEM_NOT_LINKED',
    ]);
  });
  it('POSTMORTEM_STATUS_UNKNOWN and POSTMORTEM_NOT_READY; ready (any case) closes', () => {
    const pm = (reading: PostMortemReading) =>
      closable({
        needsPostMortem: true,
        priority: 1,
        status: 'POST_MORTEM',
        postMortem: { key: 'PM-7', reading },
      });
    expect(canBeClosed(pm({ kind: 'unreadable', why: 'Jira did not answer' })).reasons).toEqual([
      {
        code: 'POSTMORTEM_STATUS_UNKNOWN',
        message:
          'The status of post-mortem PM-7 could not be read from Jira (Jira did not answer). Try again in a minute.',
      },
    ]);
    expect(canBeClosed(pm({ kind: 'status', name: 'In review' })).reasons).toEqual([
      {
        code: 'POSTMORTEM_NOT_READY',
        message:
          'Post-mortem PM-7 is "In review" in Jira; it must be "Ready". Finish it and move it to "Ready" in Jira.',
      },
    ]);
    expect(canBeClosed(pm({ kind: 'status', name: 'ready' })).ok).toBe(true);
  });
  it('a post-mortem gone from Jira is not linked any more, and says how to replace it', () => {
    const check = canBeClosed(
      closable({
        needsPostMortem: true,
        status: 'POST_MORTEM',
        postMortem: { key: 'PM-7', reading: { kind: 'gone' } },
      }),
    );
    expect(check.reasons).toEqual([
      {
        code: 'POSTMORTEM_NOT_LINKED',
        message:
          'Post-mortem PM-7 can no longer be found in Jira (deleted, or the bot lost access to it). Create a new one with the postmortem command.',
      },
    ]);
  });
  it('without Jira, POSTMORTEM_NOT_LINKED says none can be made until Jira is configured', () => {
    const check = canBeClosed(
      closable({ needsPostMortem: true, status: 'POST_MORTEM', jiraConfigured: false }),
    );
    expect(check.reasons[0]?.message).toMatch(
      /this bot has no Jira connection\. An operator must configure Jira/,
    );
  });
  it('a closure reason closes at once', () => {
    expect(canBeClosed(closable({ status: 'OPEN', keyEvents: {}, closureReason: 'DUPLICATE' })).ok).toBe(
      true,
    );
  });
});

describe('key events: order and metrics', () => {
  const now = at(120);
  it.each([
    [
      'detected before started',
      { STARTED: at(10), DETECTED: at(5) },
      'DETECTED',
      'Detected cannot be before started.',
    ],
    [
      'detected after declared (declared has no field: the error goes on detected)',
      { DETECTED: at(10), DECLARED: at(5) },
      'DETECTED',
      'Detected cannot be after declared.',
    ],
    [
      'recovered before started',
      { STARTED: at(10), RECOVERED: at(5) },
      'RECOVERED',
      'Recovered cannot be before started.',
    ],
    [
      'mitigated before started',
      { STARTED: at(10), MITIGATED: at(5) },
      'MITIGATED',
      'Mitigated cannot be before started.',
    ],
    ['an event in the future', { STARTED: at(130) }, 'STARTED', 'Started cannot be in the future.'],
  ] as const)('%s', (_name, events, event, message) => {
    expect(keyEventProblems(events, now)).toContainEqual({ event, message });
  });
  it('a consistent timeline has no problem', () => {
    expect(keyEventProblems({ ...allKeyEvents, MITIGATED: at(30), RESOLVED: at(60) }, now)).toEqual([]);
  });
  it('metrics from the reference definitions; missing or negative spans are left out', () => {
    const minutes = (ms: number | undefined) => (ms === undefined ? undefined : ms / 60_000);
    const metrics = incidentMetrics({ ...allKeyEvents, MITIGATED: at(30), RESOLVED: at(90) });
    expect(Object.fromEntries(Object.entries(metrics).map(([key, value]) => [key, minutes(value)]))).toEqual({
      TTD: 5,
      TTA: 10,
      TTRep: 20,
      TTF: 30,
      TTRec: 40,
      TTResp: 35,
      TTReso: 90,
    });
    expect(incidentMetrics({ STARTED: at(10), DETECTED: at(5) })).toEqual({});
  });
});
