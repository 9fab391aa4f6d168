/**
 * Key events of an incident and the metrics computed from them. Pure.
 * `declared` is recorded automatically; `recovered` is required to close a P1–P3.
 */
export const keyEventTypes = [
  'STARTED',
  'DETECTED',
  'DECLARED',
  'RECOVERED',
  'MITIGATED',
  'RESOLVED',
] as const;
export type KeyEventType = (typeof keyEventTypes)[number];
export type KeyEvents = Partial<Record<KeyEventType, Date>>;

/** Needed before a P1–P3 can be closed. */
export const requiredKeyEvents: readonly KeyEventType[] = ['STARTED', 'DETECTED', 'DECLARED', 'RECOVERED'];

export const missingKeyEvents = (events: KeyEvents): KeyEventType[] =>
  requiredKeyEvents.filter((type) => !events[type]);

export interface KeyEventProblem {
  event: KeyEventType;
  message: string;
}

const name = (type: KeyEventType) => type.charAt(0) + type.slice(1).toLowerCase();

/**
 * Order rules (the reference system has none): started ≤ detected ≤ declared; recovered,
 * mitigated and resolved not before started; nothing in the future. One problem per event,
 * for a field error next to it.
 */
export function keyEventProblems(events: KeyEvents, now: Date): KeyEventProblem[] {
  const problems: KeyEventProblem[] = [];
  const add = (event: KeyEventType, message: string) => {
    if (!problems.some((problem) => problem.event === event)) problems.push({ event, message });
  };
  const notAfter = (earlier: KeyEventType, later: KeyEventType) => {
    const a = events[earlier];
    const b = events[later];
    if (!a || !b || a.getTime() <= b.getTime()) return;
    // Declared is set by the bot and has no field: the problem belongs to the event before it.
    if (later === 'DECLARED') add(earlier, `${name(earlier)} cannot be after declared.`);
    else add(later, `${name(later)} cannot be before ${name(earlier).toLowerCase()}.`);
  };
  for (const type of keyEventTypes) {
    if (events[type] && events[type].getTime() > now.getTime())
      add(type, `${name(type)} cannot be in the future.`);
  }
  notAfter('STARTED', 'DETECTED');
  notAfter('DETECTED', 'DECLARED');
  notAfter('STARTED', 'DECLARED');
  for (const later of ['RECOVERED', 'MITIGATED', 'RESOLVED'] as const) notAfter('STARTED', later);
  return problems;
}

export const metricNames = ['TTD', 'TTA', 'TTRep', 'TTF', 'TTRec', 'TTResp', 'TTReso'] as const;
export type MetricName = (typeof metricNames)[number];

/** Each metric: from which event to which (reference definitions). */
const metricSpans: Record<MetricName, [KeyEventType, KeyEventType]> = {
  TTD: ['STARTED', 'DETECTED'],
  TTA: ['STARTED', 'DECLARED'],
  TTRep: ['DECLARED', 'MITIGATED'],
  TTF: ['DECLARED', 'RECOVERED'],
  TTRec: ['STARTED', 'RECOVERED'],
  TTResp: ['DETECTED', 'RECOVERED'],
  TTReso: ['STARTED', 'RESOLVED'],
};

/** Metrics in milliseconds; a metric whose events are missing or out of order is left out. */
export function incidentMetrics(events: KeyEvents): Partial<Record<MetricName, number>> {
  const metrics: Partial<Record<MetricName, number>> = {};
  for (const metric of metricNames) {
    const [from, to] = metricSpans[metric];
    const start = events[from];
    const end = events[to];
    if (start && end && end.getTime() >= start.getTime()) metrics[metric] = end.getTime() - start.getTime();
  }
  return metrics;
}
