import { describe, expect, it } from 'vitest';
import { incidentChannelName, suffixedChannelName, truncateTopic } from '../../src/domain/channelName.js';
import { priorityFromImpacts, type ImpactLevelValue } from '../../src/domain/impacts.js';
import { isCritical } from '../../src/domain/priorities.js';

describe('priority from impacts (minimum over the chosen levels)', () => {
  const table: [Array<ImpactLevelValue | undefined>, number | undefined][] = [
    [['HT', 'NO', 'NO', 'NO'], 1],
    [['NO', 'HI', 'NO', 'NO'], 2],
    [['LO', 'MD', 'LT', 'NO'], 3],
    [['LO', 'NO', 'LT', 'NO'], 4],
    [['LT', 'LT', 'LT', 'LT'], 5],
    [['LT', 'HT', 'LO', 'HI'], 1],
    [['NO', 'NO', 'NO', 'NO'], undefined],
    [[undefined, undefined], undefined],
    [[], undefined],
    [[undefined, 'MD'], 3],
  ];
  it.each(table)('%j → P%s', (levels, expected) => {
    expect(priorityFromImpacts(levels)).toBe(expected);
  });

  it('P1–P3 are critical (channel), P4–P5 are not', () => {
    expect([1, 2, 3, 4, 5].map(isCritical)).toEqual([true, true, true, false, false]);
  });
});

describe('channel names', () => {
  it('is {YYYYMMDD}-{id}-{envs}-{category}, sanitised and lower-case', () => {
    expect(
      incidentChannelName({
        id: 1234,
        createdAt: new Date('2025-01-01T10:00:00Z'),
        environments: ['PRD'],
        category: 'Payment',
      }),
    ).toBe('20250101-1234-prd-payment');
    expect(
      incidentChannelName({
        id: 7,
        createdAt: new Date('2026-11-23T23:59:00Z'),
        environments: ['PRD', 'STG'],
        category: 'Seller Portal / Café',
      }),
    ).toBe('20261123-7-prd-stg-seller-portal-cafe');
  });

  it('never exceeds 80 characters, even with a suffix', () => {
    const long = incidentChannelName({
      id: 99,
      createdAt: new Date('2026-01-02T00:00:00Z'),
      environments: ['PRD'],
      category: 'x'.repeat(200),
    });
    expect(long.length).toBeLessThanOrEqual(80);
    const suffixed = suffixedChannelName(long, 12);
    expect(suffixed.length).toBeLessThanOrEqual(80);
    expect(suffixed.endsWith('-12')).toBe(true);
  });

  it('truncates topics to 250 characters', () => {
    expect(truncateTopic('t'.repeat(300))).toHaveLength(250);
    expect(truncateTopic('short')).toBe('short');
  });
});

describe('open form with no feature teams configured', () => {
  it('P4–P5 can still be opened (there is no team to choose)', async () => {
    const { openFormSchema } = await import('../../src/domain/openIncidentForm.js');
    const form = {
      title: 'Search is very slow',
      description: 'Results take 10 s to show up',
      category: 'Search',
      environments: ['PRD'],
      platforms: ['web'],
    };
    const context = {
      priority: 4,
      impacts: { employees_impact: 'LO' },
      categories: ['Search'],
      environments: ['PRD'],
      platforms: ['web'],
    };
    expect(openFormSchema({ ...context, featureTeams: [] }).safeParse(form).success).toBe(true);
    expect(openFormSchema({ ...context, featureTeams: ['Platform'] }).safeParse(form).success).toBe(false);
  });
});
