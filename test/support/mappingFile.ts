import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/** Write a mapping file override to a temp file; returns its path for INCIDENT_BOT_CONFIG. */
export function writeMappingFile(mapping: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'incident-bot-mapping-')), 'mapping.yml');
  writeFileSync(file, stringify(mapping));
  return file;
}
