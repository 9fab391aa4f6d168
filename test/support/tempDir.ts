import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let scratch: string | undefined;

/** Set by the global setup: one directory for the whole run, removed in its teardown. */
export const SCRATCH_ROOT_ENV = 'INCIDENT_BOT_TEST_SCRATCH';

/**
 * One scratch directory per test process for small files (mapping files, config files). It
 * lives under the run's root, which the global teardown removes: vitest's worker processes
 * do not always reach 'exit' handlers, which left a directory per file behind in /tmp.
 */
export function scratchDir(): string {
  if (!scratch) {
    const root = process.env[SCRATCH_ROOT_ENV] ?? os.tmpdir();
    const dir = mkdtempSync(path.join(root, 'incident-bot-test-files-'));
    scratch = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}

let files = 0;
/** A fresh path in the scratch directory, ending in `name`. */
export function scratchFile(name: string): string {
  files += 1;
  return path.join(scratchDir(), `${files}-${name}`);
}
