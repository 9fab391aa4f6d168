/** Impact types and levels; the priority of an incident is the most severe chosen level. */
export interface ImpactTypeDefinition {
  slug: string;
  name: string;
  emoji: string;
  order: number;
}

export const impactTypes: readonly ImpactTypeDefinition[] = [
  { slug: 'business_impact', name: 'Business impact', emoji: '💰', order: 1 },
  { slug: 'sellers_impact', name: 'Sellers impact', emoji: '📦', order: 2 },
  { slug: 'customers_impact', name: 'Customers impact', emoji: '👥', order: 3 },
  { slug: 'employees_impact', name: 'Employees impact', emoji: '🧑‍💼', order: 4 },
];

export type ImpactLevelValue = 'HT' | 'HI' | 'MD' | 'LO' | 'LT' | 'NO';

export interface ImpactLevelDefinition {
  value: ImpactLevelValue;
  name: string;
  /** 1..5 map to P1..P5; 6 means "no impact". */
  priorityValue: number;
}

export const impactLevels: readonly ImpactLevelDefinition[] = [
  { value: 'HT', name: 'Critical', priorityValue: 1 },
  { value: 'HI', name: 'High', priorityValue: 2 },
  { value: 'MD', name: 'Medium', priorityValue: 3 },
  { value: 'LO', name: 'Low', priorityValue: 4 },
  { value: 'LT', name: 'Lowest', priorityValue: 5 },
  { value: 'NO', name: 'No impact', priorityValue: 6 },
];

export const NO_IMPACT_PRIORITY = 6;

export const isImpactLevelValue = (value: string): value is ImpactLevelValue =>
  impactLevels.some((level) => level.value === value);

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
