import type { z } from 'zod';

/** Levenshtein distance: small and good enough for key names of a few dozen characters. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The valid key closest to `key`, if it is close enough to be a typo (case differences count
 * as nothing: `incidentsChannelID` is obviously `incidentsChannelId`).
 */
export function nearestKey(key: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  const tolerance = Math.max(2, Math.floor(key.length / 3));
  return best && best.distance <= tolerance ? best.name : undefined;
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Follow wrappers (nullable, default, optional, pipe) down to the schema that does the work. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let def = defOf(schema); ; def = defOf(schema)) {
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!inner) return schema;
    schema = inner;
  }
}

/** The keys an object schema accepts at `path` (array indexes and record keys walked through). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const segment of path) {
    const def = defOf(current);
    const next =
      def.type === 'object'
        ? def.shape?.[String(segment)]
        : def.type === 'array'
          ? def.element
          : def.type === 'record'
            ? def.valueType
            : undefined;
    if (!next) return [];
    current = unwrap(next);
  }
  const def = defOf(current);
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** One line per unknown key: "slack.incidentChannelId: unknown key — did you mean incidentsChannelId?" */
export function describeUnknownKeys(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  keys: readonly string[],
): string[] {
  const valid = keysAt(schema, path);
  return keys.map((key) => {
    const where = [...path.map(String), key].join('.');
    const nearest = nearestKey(key, valid);
    return nearest
      ? `${where}: unknown key — did you mean ${nearest}?`
      : `${where}: unknown key (expected one of: ${valid.join(', ')})`;
  });
}
