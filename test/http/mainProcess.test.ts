import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { FakeSlack } from '../support/fakeSlack.js';
import { captureChildOutput, PROCESS_BOT_TOKEN, PROCESS_SIGNING_SECRET } from '../support/logCapture.js';
import { npmScriptArgs } from '../support/npmScript.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the bot process (what npm start runs)', () => {
  it('starts on the embedded database, serves /healthz and /jira/webhook, and stops cleanly on SIGTERM', async () => {
    const slack = await new FakeSlack().start();
    const env = {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: PROCESS_BOT_TOKEN,
      SLACK_SIGNING_SECRET: PROCESS_SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      PORT: '0', // the process picks a free port and logs it: no race with other test files
      DATA_DIR: path.join(dataDir, '.data'),
      LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, npmScriptArgs('start'), {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      // 'close', not 'exit': the last lines it wrote may still be on their way when it exits.
      child.on('close', (code) => {
        captureChildOutput(child.pid, output);
        resolve(code);
      }),
    );
    try {
      // Wait for this process's own "up" line, which carries the port it bound.
      const up = await eventually(
        async () => /"port":(\d+),"socketMode":false,"msg":"incident bot is up"/.exec(output)?.[1],
        (found) => found !== undefined || child.exitCode !== null,
        60_000, // a first start (initdb) on a loaded 2-core machine
      );
      expect(up, output.slice(-3000)).toBeDefined();
      // One line says what this process runs with, credentials never included.
      const summary = output
        .split('\n')
        .map((line) =>
          line.includes('"running with"') ? (JSON.parse(line) as Record<string, unknown>) : null,
        )
        .filter(Boolean);
      expect(summary).toEqual([
        expect.objectContaining({
          mode: 'HTTP',
          mapping: 'defaults',
          jira: 'not configured',
          database: `embedded PostgreSQL at ${path.join(dataDir, '.data')}`,
        }),
      ]);
      const port = Number(up);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.json() as Promise<unknown>,
      );
      expect(health).toEqual({ status: 'ok', db: 'up', worker: 'running' });
      expect(slack.callsTo('auth.test')).toHaveLength(1);

      // `npm run doctor` next to a running bot joins its embedded database instead of starting one.
      // (spawned asynchronously: the fake Slack it asks lives in this process's event loop)
      const doctor = spawn(process.execPath, npmScriptArgs('doctor'), {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let report = '';
      doctor.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
      await new Promise((resolve) => doctor.on('close', resolve)); // its report fully read
      expect(report).toMatch(
        /PASS {2}Database +embedded PostgreSQL at .*\.data \(running, pid \d+\): reachable/,
      );
      expect(report).toMatch(/PASS {2}Database migrations +all \d+ applied/);

      const webhook = await fetch(`http://127.0.0.1:${port}/jira/webhook`, { method: 'POST', body: '{}' });
      // No JIRA_WEBHOOK_SECRET here: the endpoint exists and refuses everything unsigned.
      expect(webhook.status).toBe(401);
      expect(await webhook.json()).toMatchObject({ error: 'webhook_secret_not_configured' });

      const pidFile = path.join(dataDir, '.data', 'postgres', 'postmaster.pid');
      const postgresPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      child.kill('SIGTERM');
      expect(await exited, output.slice(-3000)).toBe(0);
      expect(output).toContain('incident bot stopped');
      // Pools close before the server stops: no "terminating connection" warnings while stopping.
      const stopping = output.slice(output.indexOf('"msg":"shutting down"'));
      expect(
        stopping.split('\n').filter((line) => /"level":[4-6]\d/.test(line)),
        stopping,
      ).toEqual([]);
      expect(stopping).not.toMatch(/connection terminated|terminating connection/i);
      // The embedded server went down with the bot: no pid file, no process.
      expect(existsSync(pidFile)).toBe(false);
      expect(() => process.kill(postgresPid, 0)).toThrow();
    } finally {
      child.kill('SIGKILL');
      await slack.stop();
    }
  }, 90_000);
});
