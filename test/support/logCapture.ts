import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { jiraEnv } from './fakeJira.js';
import { WEBHOOK_SECRET } from './jiraWebhooks.js';
import { SIGNING_SECRET } from './slackRequests.js';

/**
 * Every log line the suite's bots write (in-process and child processes) goes to files in this
 * directory (set by globalSetup, inherited by the test processes), and when the run ends they are
 * searched for secrets: a token, secret or signature in a log line fails the run.
 */
export const LOG_CAPTURE_ENV = 'TEST_LOG_CAPTURE_DIR';

/** What the child-process bots are started with (see botProcess.ts). */
export const PROCESS_BOT_TOKEN = 'xoxb-process-bot-token-4d1e';
export const PROCESS_SIGNING_SECRET = 'process-signing-secret-9b7a';
export const TEST_BOT_TOKEN = 'xoxb-test-bot-token-2c5f';

/** Where this test process's bots log: a file in the capture directory, or nowhere. */
export function captureDestination(): pino.DestinationStream | undefined {
  const dir = process.env[LOG_CAPTURE_ENV];
  if (!dir) return undefined;
  // Synchronous: a test process may exit right after its last test, and nothing may be lost.
  return pino.destination({ dest: path.join(dir, `${process.pid}.log`), sync: true, mkdir: true });
}

/** Keep what a child-process bot wrote, with the rest of the suite's logs. */
export function captureChildOutput(pid: number | undefined, output: string): void {
  const dir = process.env[LOG_CAPTURE_ENV];
  if (dir && output) appendFileSync(path.join(dir, `child-${pid ?? 'unknown'}.log`), output);
}

const secrets = [
  SIGNING_SECRET,
  PROCESS_SIGNING_SECRET,
  TEST_BOT_TOKEN,
  PROCESS_BOT_TOKEN,
  WEBHOOK_SECRET,
  jiraEnv.JIRA_API_TOKEN,
  Buffer.from(`${jiraEnv.JIRA_EMAIL}:${jiraEnv.JIRA_API_TOKEN}`).toString('base64'),
];
/** Shapes that are secret whatever their value: signatures, credentials in URLs, bearer tokens. */
const shapes = [
  /v0=[0-9a-f]{64}/i,
  /sha256=[0-9a-f]{64}/i,
  /postgres(?:ql)?:\/\/[^:/\s"]+:(?!\[Redacted\])[^@\s"]+@/,
  /Bearer [A-Za-z0-9._~+/-]{12,}/,
];

/** Log lines that carry a secret, as `file: line` (cut), across every captured file. */
export function leakedSecrets(dir: string): string[] {
  const found: string[] = [];
  for (const file of readdirSync(dir)) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (secrets.some((secret) => line.includes(secret)) || shapes.some((shape) => shape.test(line)))
        found.push(`${file}: ${line.slice(0, 400)}`);
    }
  }
  return found;
}

/** Lines captured in total (the scan must have had something to read). */
export function capturedLineCount(dir: string): number {
  return readdirSync(dir).reduce(
    (count, file) => count + readFileSync(path.join(dir, file), 'utf8').split('\n').length,
    0,
  );
}
