import path from 'node:path';
import type { AppConfig } from './config/index.js';

export interface StartupSummary {
  mode: 'HTTP' | 'Socket Mode';
  mapping: string;
  jira: string;
  database: string;
}

/** "external postgres at host:port/db": what an operator needs to recognise, never credentials. */
function describeDatabase(config: AppConfig): string {
  const { DATABASE_URL, DATA_DIR } = config.env;
  if (!DATABASE_URL) return `embedded PostgreSQL at ${path.resolve(DATA_DIR)}`;
  try {
    const url = new URL(DATABASE_URL);
    return `external PostgreSQL at ${url.host}${url.pathname}`;
  } catch {
    return 'external PostgreSQL (DATABASE_URL)';
  }
}

/**
 * What this process runs with, logged once at start: the first thing to read when a bot
 * "does nothing" is whether it loaded the mapping file and Jira site the operator meant.
 */
export function startupSummary(config: AppConfig): StartupSummary {
  return {
    mode: config.env.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP',
    mapping: config.mappingSource,
    jira: config.env.JIRA_BASE_URL ?? 'not configured',
    database: describeDatabase(config),
  };
}
