import { describe, expect, it } from 'vitest';
import {
  postMortemReminderWindow,
  updateReminderDue,
  withinOfficeHours,
} from '../../src/domain/reminders.js';

const paris = { timeZone: 'Europe/Paris', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };

describe('office hours (in their time zone)', () => {
  it.each([
    ['Monday 08:59 Paris', '2026-11-30T07:59:00Z', false],
    ['Monday 09:00 Paris', '2026-11-30T08:00:00Z', true],
    ['Monday 17:59 Paris', '2026-11-30T16:59:00Z', true],
    ['Monday 18:00 Paris', '2026-11-30T17:00:00Z', false],
    ['Saturday noon Paris', '2026-12-05T11:00:00Z', false],
    ['Monday 09:30 Paris in summer time (UTC+2)', '2026-06-01T07:30:00Z', true],
  ])('%s', (_name, iso, expected) => {
    expect(withinOfficeHours(new Date(iso), paris)).toBe(expected);
  });
});

describe('update reminders: repeated with back-off, in office hours only', () => {
  const last = new Date('2026-11-30T08:00:00Z'); // Monday 09:00 Paris
  const minutes = (n: number) => new Date(last.getTime() + n * 60_000);
  const due = (minutesLater: number, sent: number, lastReminderAfter: number | null = null) =>
    updateReminderDue({
      lastUpdateAt: last,
      lastReminderAt: lastReminderAfter === null ? null : minutes(lastReminderAfter),
      remindersSinceUpdate: sent,
      intervalMinutes: 60,
      now: minutes(minutesLater),
      officeHours: paris,
    });
  it('first after the interval, then 2× and 4× the interval after the previous reminder', () => {
    expect(due(59, 0)).toBeUndefined();
    expect(due(60, 0)).toBe(0);
    expect(due(179, 1, 60)).toBeUndefined();
    expect(due(180, 1, 60)).toBe(1);
    expect(due(419, 2, 180)).toBeUndefined();
    expect(due(420, 2, 180)).toBe(2);
  });
  it('never outside office hours; after a night only one goes out, the next one later', () => {
    expect(due(600, 2, 180)).toBeUndefined(); // 19:00 Paris
    expect(due(60 * 24, 2, 180)).toBe(2); // next day 09:00 Paris
    expect(due(60 * 24 + 1, 3, 60 * 24)).toBeUndefined(); // 09:01: not the fourth at once
    expect(due(60 * 24 + 8 * 60, 3, 60 * 24)).toBe(3); // 8 h after the third
  });
});

describe('post-mortem reminders', () => {
  it('one per five-day window after mitigation', () => {
    const mitigated = new Date('2026-11-01T10:00:00Z');
    expect(postMortemReminderWindow(mitigated, new Date('2026-11-05T10:00:00Z'), 5)).toBeUndefined();
    expect(postMortemReminderWindow(mitigated, new Date('2026-11-06T10:00:00Z'), 5)).toBe(1);
    expect(postMortemReminderWindow(mitigated, new Date('2026-11-12T10:00:00Z'), 5)).toBe(2);
  });
});
