import type { WebClient } from '@slack/web-api';
import type { AppConfig } from '../config/index.js';
import type { JiraGateway } from '../jira/gateway.js';
import { checkDatabase, type DoctorDatabase } from './database.js';
import { checkJira } from './jira.js';
import type { CheckResult } from './result.js';
import { checkSlack } from './slack.js';

export type { CheckResult } from './result.js';

export interface DoctorInput {
  config: AppConfig;
  slack: WebClient;
  jira: JiraGateway | undefined;
  /** Left out, the database is not checked. */
  database?: DoctorDatabase | undefined;
}

/** Check the Slack install, the database and the Jira connection against the configuration. */
export async function runDoctor(input: DoctorInput): Promise<CheckResult[]> {
  const results = await checkSlack(input.slack, input.config.mapping);
  if (input.database) results.push(...(await checkDatabase(input.database)));
  if (!input.jira) {
    results.push({
      check: 'Jira configured',
      ok: false,
      detail: 'JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN are not set',
    });
    return results;
  }
  results.push(...(await checkJira(input.config, input.jira)));
  return results;
}

/** A pass/fail table, plain text (monospace in Slack and terminals). */
export function formatDoctorReport(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((result) => result.check.length));
  const lines = results.map(
    (result) => `${result.ok ? 'PASS' : 'FAIL'}  ${result.check.padEnd(width)}  ${result.detail}`,
  );
  const failed = results.filter((result) => !result.ok).length;
  lines.push('', failed ? `${failed} check(s) failed.` : 'All checks passed.');
  return lines.join('\n');
}
