/**
 * Impacts and the priority they give. Impact types and level names are vocabulary (mapping
 * file, `vocabulary.impactTypes` / `impactLevels`); the levels themselves and how they map to a
 * priority are the rule, here.
 */

/** Impact types whose slug turns features on; every other type only weighs on the priority. */
export const IMPACT = {
  /** Sets the Jira business-impact field and picks the "high" alert channel. */
  business: 'business_impact',
  /** Offers the customer ticket id field. */
  customers: 'customers_impact',
  /** Offers the seller contract and ticket id fields. */
  sellers: 'sellers_impact',
} as const;

export type ImpactLevelValue = 'HT' | 'HI' | 'MD' | 'LO' | 'LT' | 'NO';

export const NO_IMPACT_LEVEL: ImpactLevelValue = 'NO';
/** 1..5 map to P1..P5; 6 means "no impact". */
export const NO_IMPACT_PRIORITY = 6;

/** The levels, most severe first, with the priority each gives. */
export const impactLevels: readonly { value: ImpactLevelValue; priorityValue: number }[] = [
  { value: 'HT', priorityValue: 1 },
  { value: 'HI', priorityValue: 2 },
  { value: 'MD', priorityValue: 3 },
  { value: 'LO', priorityValue: 4 },
  { value: 'LT', priorityValue: 5 },
  { value: 'NO', priorityValue: NO_IMPACT_PRIORITY },
];

export const isImpactLevelValue = (value: string): value is ImpactLevelValue =>
  impactLevels.some((level) => level.value === value);

/** Is this impact type hit at all (chosen, and not "no impact")? */
export const isImpacted = (impacts: Readonly<Record<string, string>>, slug: string): boolean =>
  (impacts[slug] ?? NO_IMPACT_LEVEL) !== NO_IMPACT_LEVEL;

/**
 * Priority from the chosen levels: the minimum over them. `undefined` when nothing impacts
 * anything (all NO or nothing chosen) — such an incident cannot be opened.
 */
export function priorityFromImpacts(levels: Iterable<ImpactLevelValue | undefined>): number | undefined {
  let best = NO_IMPACT_PRIORITY;
  for (const value of levels) {
    const level = impactLevels.find((candidate) => candidate.value === value);
    if (level) best = Math.min(best, level.priorityValue);
  }
  return best < NO_IMPACT_PRIORITY ? best : undefined;
}
