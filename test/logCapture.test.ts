import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { jiraEnv } from './support/fakeJira.js';
import { leakedSecrets, TEST_BOT_TOKEN } from './support/logCapture.js';
import { slackSignature } from './support/slackRequests.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the end-of-run log scan (globalSetup)', () => {
  it('finds a token, a signature or an API token in a log line, and passes the redacted logger output', () => {
    writeFileSync(
      path.join(dir, 'leaky.log'),
      [
        `{"msg":"calling Slack with ${TEST_BOT_TOKEN}"}`,
        `{"msg":"header ${slackSignature('body', 1)}"}`,
        `{"msg":"jira auth ${jiraEnv.JIRA_API_TOKEN}"}`,
        '{"msg":"postgres://bot:hunter2@127.0.0.1:5432/db"}',
        '{"msg":"nothing here"}',
      ].join('\n'),
    );
    expect(leakedSecrets(dir)).toHaveLength(4);

    rmSync(path.join(dir, 'leaky.log'));
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(line) },
    });
    logger.info(
      { token: TEST_BOT_TOKEN, headers: { 'x-slack-signature': slackSignature('b', 2) } },
      'redacted',
    );
    logger.error(`failed with ${TEST_BOT_TOKEN} and postgres://bot:hunter2@host/db`);
    // A client that quotes the request it could not send, Authorization header included.
    const basic = Buffer.from(`${jiraEnv.JIRA_EMAIL}:${jiraEnv.JIRA_API_TOKEN}`).toString('base64');
    logger.warn(
      { err: new Error(`No match for request {"authorization": "Basic ${basic}"}`) },
      'Jira unreachable',
    );
    logger.warn(`retrying after "Authorization": "Bearer ${jiraEnv.JIRA_API_TOKEN}-oauth"`);
    writeFileSync(path.join(dir, 'redacted.log'), lines.join(''));
    expect(leakedSecrets(dir)).toEqual([]);
  });
});
