import { describe, expect, it } from 'vitest';
import { addBusinessDays, postMortemSummary } from '../../src/domain/postMortem.js';

describe('post-mortem due date (business days)', () => {
  it('skips weekends', () => {
    // Friday 2026-11-27 + 1 working day = Monday 2026-11-30; + 5 = the next Friday.
    expect(addBusinessDays(new Date('2026-11-27T12:00:00Z'), 1)).toBe('2026-11-30');
    expect(addBusinessDays(new Date('2026-11-27T12:00:00Z'), 5)).toBe('2026-12-04');
    expect(addBusinessDays(new Date('2026-11-30T12:00:00Z'), 40)).toBe('2027-01-25');
  });
  it('counts from the day it is where the team works, not in UTC', () => {
    // Monday 00:30 in Paris is still Sunday in UTC: the count starts on Monday.
    const mondayInParis = new Date('2026-11-29T23:30:00Z');
    expect(addBusinessDays(mondayInParis, 1, 'Europe/Paris')).toBe('2026-12-01');
    expect(addBusinessDays(mondayInParis, 1, 'UTC')).toBe('2026-11-30');
  });
});

describe('post-mortem summary', () => {
  it('#{channel} ({P}) {title}, or the incident number without a channel', () => {
    expect(
      postMortemSummary({
        incidentId: 7,
        channelName: '20261130-7-prd-payment',
        priorityName: 'P1',
        title: ' Down ',
      }),
    ).toBe('#20261130-7-prd-payment (P1) Down');
    expect(postMortemSummary({ incidentId: 7, channelName: null, priorityName: 'P4', title: 'Slow' })).toBe(
      '#incident-7 (P4) Slow',
    );
  });
});
