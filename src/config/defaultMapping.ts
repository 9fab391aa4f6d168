import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../projectRoot.js';
import { mappingSchema, type Mapping } from './mappingSchema.js';

export const defaultMappingFile = path.join(projectRoot, 'config', 'mapping.default.yml');

/**
 * The shipped defaults (config/mapping.default.yml): configuration, not code, so no Jira id
 * lives in src/. A mapping file from INCIDENT_BOT_CONFIG is merged over it.
 */
export const defaultMapping: Mapping = mappingSchema.parse(
  parseYaml(readFileSync(defaultMappingFile, 'utf8')),
);
