/**
 * The five priorities and their rules. P1–P3 are "critical": they get a Slack channel; every
 * priority gets a ticket. Emoji and descriptions are vocabulary (mapping file).
 */
export interface PriorityDefinition {
  value: 1 | 2 | 3 | 4 | 5;
  name: string;
  needsPostMortem: boolean;
  slaMinutes: number;
  reminderMinutes: number;
  isDefault: boolean;
}

const hour = 60;
const day = 24 * hour;

export const priorities: readonly PriorityDefinition[] = [
  {
    value: 1,
    name: 'P1',
    needsPostMortem: true,
    slaMinutes: 2 * hour,
    reminderMinutes: hour,
    isDefault: false,
  },
  {
    value: 2,
    name: 'P2',
    needsPostMortem: true,
    slaMinutes: 4 * hour,
    reminderMinutes: hour,
    isDefault: false,
  },
  {
    value: 3,
    name: 'P3',
    needsPostMortem: false,
    slaMinutes: day,
    reminderMinutes: hour,
    isDefault: false,
  },
  {
    value: 4,
    name: 'P4',
    needsPostMortem: false,
    slaMinutes: 5 * day,
    reminderMinutes: hour,
    isDefault: true,
  },
  {
    value: 5,
    name: 'P5',
    needsPostMortem: false,
    slaMinutes: 10 * day,
    reminderMinutes: hour,
    isDefault: false,
  },
];

/** P1–P3 get the critical response: a dedicated Slack channel. */
export const isCritical = (priorityValue: number): boolean => priorityValue <= 3;

export function priorityByValue(value: number): PriorityDefinition {
  const found = priorities.find((priority) => priority.value === value);
  if (!found) throw new RangeError(`no priority P${value}`);
  return found;
}

/** A priority as responders read it: its rules plus the words from the mapping file. */
export interface PriorityLabel {
  value: number;
  name: string;
  emoji: string;
  description: string;
}

export function priorityLabel(
  value: number,
  words: Readonly<Record<string, { emoji: string; description: string }>>,
): PriorityLabel {
  const { name } = priorityByValue(value);
  const word = words[name];
  return { value, name, emoji: word?.emoji ?? '', description: word?.description ?? '' };
}

/** A post-mortem is owed by incidents of a priority that needs one, in a production environment. */
export function needsPostMortem(
  priority: number,
  environments: readonly string[],
  productionEnvironments: readonly string[],
): boolean {
  return (
    priorityByValue(priority).needsPostMortem &&
    environments.some((environment) => productionEnvironments.includes(environment))
  );
}
