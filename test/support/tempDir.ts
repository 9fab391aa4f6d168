import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let scratch: string | undefined;

/**
 * One scratch directory per test process for small files (mapping files, config files),
 * removed when the process exits, so a run leaves nothing behind in the system temp dir.
 */
export function scratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-test-files-'));
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
