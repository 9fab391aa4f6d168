import { readFileSync } from 'node:fs';

/** Real payloads from test/fixtures (copied from shared/fixtures; see its README for sources). */
export function fixtureText(relative: string): string {
  return readFileSync(new URL(`../fixtures/${relative}`, import.meta.url), 'utf8');
}

export function fixtureJson<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(fixtureText(relative)) as T;
}
