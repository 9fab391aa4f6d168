import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { scratchFile } from './tempDir.js';

/** Write a mapping file override to a scratch file; returns its path for INCIDENT_BOT_CONFIG. */
export function writeMappingFile(mapping: unknown): string {
  const file = scratchFile('mapping.yml');
  writeFileSync(file, stringify(mapping));
  return file;
}
