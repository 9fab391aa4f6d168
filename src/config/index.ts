import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { defaultMapping } from './defaultMapping.js';
import { crossVariableProblems, envSchema, type Env } from './env.js';
import { mappingSchema, type Mapping } from './mappingSchema.js';
import { describeUnknownKeys } from './unknownKeys.js';

export type { Env } from './env.js';
export type { Mapping, JiraFieldSpec } from './mappingSchema.js';

/** Everything the bot is configured with, parsed once at start and passed down. */
export interface AppConfig {
  env: Env;
  mapping: Mapping;
  /** Where the mapping came from: a file path, or "defaults". */
  mappingSource: string;
}

/** Thrown with every problem found, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function describeIssues(issues: z.core.$ZodIssue[], prefix: string, schema?: z.ZodType): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys' && schema) {
      return describeUnknownKeys(schema, issue.path, issue.keys).map((line) => `${prefix}${line}`);
    }
    const where = issue.path.map(String).join('.');
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    const message = missing ? 'required' : issue.message;
    return `${prefix}${where}: ${message}`;
  });
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Objects merge key by key; lists and scalars from the override replace the default. */
export function mergeMapping(base: unknown, override: unknown): unknown {
  if (!isPlain(base) || !isPlain(override)) return override === undefined ? base : override;
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeMapping(base[key], value);
  return merged;
}

function readMappingFile(file: string): { raw: unknown; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return {
      raw: undefined,
      problems: [`INCIDENT_BOT_CONFIG: cannot read ${file}: ${(error as Error).message}`],
    };
  }
  try {
    const raw: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (raw !== null && raw !== undefined && !isPlain(raw)) {
      return { raw: undefined, problems: [`INCIDENT_BOT_CONFIG: ${file} must hold a mapping object`] };
    }
    return { raw: raw ?? {}, problems: [] };
  } catch (error) {
    return {
      raw: undefined,
      problems: [`INCIDENT_BOT_CONFIG: ${file} is not valid: ${(error as Error).message}`],
    };
  }
}

/** Parse a mapping object (already merged with nothing): used by loadConfig and by tests. */
export function parseMapping(raw: unknown, source: string): Mapping {
  const result = mappingSchema.safeParse(mergeMapping(defaultMapping, raw));
  if (!result.success)
    throw new ConfigError(describeIssues(result.error.issues, `${source}: `, mappingSchema));
  return result.data;
}

/**
 * Parse the environment and the mapping file. The only place in the code base that is handed
 * `process.env`. Throws ConfigError listing every problem.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const envResult = envSchema.safeParse(environment);
  if (!envResult.success) problems.push(...describeIssues(envResult.error.issues, ''));
  problems.push(...crossVariableProblems(environment));

  const mappingFile = environment.INCIDENT_BOT_CONFIG?.trim();
  let mapping: Mapping | undefined;
  let mappingSource = 'defaults';
  if (mappingFile) {
    mappingSource = path.resolve(cwd, mappingFile);
    const { raw, problems: fileProblems } = readMappingFile(mappingSource);
    problems.push(...fileProblems);
    if (fileProblems.length === 0) {
      try {
        mapping = parseMapping(raw, `INCIDENT_BOT_CONFIG (${mappingFile})`);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.problems);
      }
    }
  } else {
    mapping = defaultMapping;
  }

  if (problems.length > 0 || !envResult.success || !mapping) throw new ConfigError(problems);
  return { env: envResult.data, mapping, mappingSource };
}

/** Config for tools that need no Slack credentials (migrations, doctor's DB part). */
export function loadToolingConfig(): AppConfig {
  return loadConfig({ SLACK_BOT_TOKEN: 'xoxb-unused', SLACK_SIGNING_SECRET: 'unused', ...process.env });
}
