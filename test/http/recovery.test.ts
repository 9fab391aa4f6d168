import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runningEmbeddedPostgres } from '../../src/db/embedded.js';
import { isPostmasterOf } from '../../src/db/postmasterLock.js';
import {
  childPids,
  health,
  isAlive,
  postmasterPid,
  spawnBot,
  warnings,
  type BotProcess,
} from '../support/botProcess.js';
import { eventually } from '../support/eventually.js';
import { FakeSlack } from '../support/fakeSlack.js';

/**
 * Recovery of the whole process (src/main.ts) on its embedded database: after a kill -9 of the
 * bot, with a job its worker had locked; with a stale lock file naming an unrelated process; and
 * when the database server itself dies under the bot.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-recovery-'));
let slack: FakeSlack;
const running: BotProcess[] = [];
beforeAll(async () => {
  slack = await new FakeSlack().start();
});
afterEach(() => {
  for (const bot of running.splice(0)) bot.child.kill('SIGKILL');
});
afterAll(async () => {
  await slack.stop();
  // A failed test may leave a detached server behind: stop the ones in our data dirs only.
  for (const name of readdirSync(root)) {
    const pid = postmasterPid(path.join(root, name));
    if (pid && isPostmasterOf(pid, path.join(root, name, 'postgres'))) {
      process.kill(pid, 'SIGINT');
      await eventually(
        async () => isAlive(pid),
        (alive) => !alive,
        20_000,
      );
    }
  }
  rmSync(root, { recursive: true, force: true });
});

function start(dataDir: string, env: NodeJS.ProcessEnv = {}): BotProcess {
  const bot = spawnBot({ dataDir, slackUrl: slack.url, env });
  running.push(bot);
  return bot;
}

/** Stop with a signal (SIGTERM unless said): exit 0, and nothing at warn level or above while stopping. */
async function stopCleanly(bot: BotProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  bot.child.kill(signal);
  expect(await bot.exited, bot.output().slice(-3000)).toBe(0);
  const stopping = bot.output().slice(bot.output().indexOf('"msg":"shutting down"'));
  expect(warnings(stopping), stopping).toEqual([]);
  expect(stopping).not.toMatch(/connection terminated|terminating connection/i);
}

/** A client on the embedded database of a running (or orphaned) server under `dataDir`. */
async function connect(dataDir: string): Promise<pg.Client> {
  const running = runningEmbeddedPostgres(dataDir);
  if (!running) throw new Error(`no embedded PostgreSQL running under ${dataDir}`);
  const client = new pg.Client({ connectionString: running.url });
  await client.connect();
  return client;
}

describe('recovery of the bot process', () => {
  it('restarts after kill -9 on the same DATA_DIR, replaces the orphaned server and runs the job the killed worker held', async () => {
    const dataDir = path.join(root, 'killed');
    const first = start(dataDir);
    await first.up();
    const orphan = postmasterPid(dataDir)!;

    // A job locked by one of this run's own workers, as if it was running when the bot died.
    const db = await connect(dataDir);
    try {
      // The first heartbeat lands shortly after start, not necessarily before "up" is logged.
      const rows = await eventually(
        async () =>
          (await db.query<{ worker_id: string }>('select worker_id from worker_heartbeats limit 1')).rows,
        (found) => found.length === 1,
      );
      await db.query('begin');
      await db.query(
        `select graphile_worker.add_job('notify_normal_incident', '{"unreadable":true}'::json, job_key := 'held-by-killed-worker')`,
      );
      await db.query(
        `update graphile_worker._private_jobs set locked_by = $1, locked_at = now() where key = 'held-by-killed-worker'`,
        [rows[0]!.worker_id],
      );
      await db.query('commit');
    } finally {
      await db.end();
    }

    first.child.kill('SIGKILL');
    await first.exited;
    expect(isAlive(orphan), 'the embedded server runs detached and survives the bot').toBe(true);

    const second = start(dataDir);
    const port = await second.up();
    expect(await health(port)).toEqual({ status: 200, body: { status: 'ok', db: 'up', worker: 'running' } });
    expect(second.output()).toContain('left running by a killed run; stopping it');
    expect(isAlive(orphan)).toBe(false);
    expect(postmasterPid(dataDir)).not.toBe(orphan);

    // The lock is released at start and the job runs (its unreadable payload makes it a no-op).
    // Both lines, in either order: the released job can run (and log) before the sweep that
    // freed it gets its last query's answer and logs.
    await eventually(
      async () =>
        second.output().includes('job payload invalid; dropped') &&
        second.output().includes('released the job locks of dead workers'),
      (ran) => ran,
      30_000,
    );
    await stopCleanly(second);
  }, 120_000);

  it('starts over a stale postmaster.pid naming an unrelated live process, and never signals it', async () => {
    const dataDir = path.join(root, 'stale');
    const first = start(dataDir);
    await first.up();
    const lockFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    const lock = readFileSync(lockFile, 'utf8');
    await stopCleanly(first);

    // An unrelated process that reports any signal it gets, whose pid the stale lock names.
    const decoy = spawn(
      process.execPath,
      [
        '-e',
        `for (const s of ['SIGINT','SIGTERM','SIGQUIT','SIGHUP']) process.on(s, () => console.log('got ' + s));
         console.log('ready'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let decoyOutput = '';
    decoy.stdout.on('data', (chunk: Buffer) => (decoyOutput += chunk.toString()));
    try {
      await eventually(
        async () => decoyOutput,
        (text) => text.includes('ready'),
      );
      writeFileSync(lockFile, lock.replace(/^\d+/, String(decoy.pid)));

      const second = start(dataDir);
      const port = await second.up();
      expect((await health(port)).status).toBe(200);
      expect(second.output()).toContain('stale postmaster.pid names an unrelated live process');
      expect(decoy.exitCode).toBeNull();
      expect(isAlive(decoy.pid!)).toBe(true);
      expect(decoyOutput).toBe('ready\n');
      await stopCleanly(second);
      expect(decoyOutput).toBe('ready\n');
    } finally {
      decoy.kill('SIGKILL');
    }
  }, 120_000);

  it('exits 1 naming the real cause when its port is taken, and stops the database it started', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    try {
      const dataDir = path.join(root, 'port-taken');
      const bot = start(dataDir, { PORT: String((taken.address() as net.AddressInfo).port) });
      expect(await bot.exited, bot.output().slice(-3000)).toBe(1);
      expect(bot.output()).toContain('incident bot failed to start');
      expect(bot.output()).toContain('EADDRINUSE');
      // Stopping the worker of a failed start is not the worker stopping on its own.
      expect(bot.output()).not.toContain('WORKER_STOPPED');
      expect(bot.output()).toContain('embedded PostgreSQL is up');
      expect(runningEmbeddedPostgres(dataDir)).toBeUndefined();
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 120_000);

  it('stops in order on SIGHUP (the terminal it ran in was closed), like on SIGTERM', async () => {
    const dataDir = path.join(root, 'hangup');
    const bot = start(dataDir);
    await bot.up();
    const server = postmasterPid(dataDir)!;
    await stopCleanly(bot, 'SIGHUP');
    expect(bot.output()).toContain('incident bot stopped');
    expect(isAlive(server), 'the embedded server is stopped, not left orphaned').toBe(false);
  }, 120_000);

  it('a second signal ends a stop that hangs on a database that no longer answers', async () => {
    const dataDir = path.join(root, 'stop-hangs');
    const bot = start(dataDir);
    await bot.up();
    const server = postmasterPid(dataDir)!;
    // The server and its backends freeze: every query of the stop waits for ever.
    const frozen = [server, ...childPids(server)];
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      bot.child.kill('SIGTERM');
      await eventually(
        async () => bot.output(),
        (output) => output.includes('"msg":"shutting down"'),
      );
      bot.child.kill('SIGTERM');
      expect(await bot.exited, bot.output().slice(-3000)).toBe(1);
      expect(bot.output()).toContain('second signal while stopping; exiting now');
    } finally {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
    }
    // The bot's last act was to ask the server to stop; it does once it runs again.
    await eventually(
      async () => isAlive(server),
      (alive) => !alive,
      30_000,
    );
  }, 120_000);

  it('restarts the embedded server when it dies under the running bot; /healthz recovers', async () => {
    const dataDir = path.join(root, 'server-dies');
    const bot = start(dataDir);
    const port = await bot.up();
    const dead = postmasterPid(dataDir)!;
    process.kill(dead, 'SIGKILL');

    // The new server answers (and /healthz with it) a moment before the supervisor's start
    // call returns and logs: wait for both.
    await eventually(
      async () => (await health(port)).status,
      (status) =>
        status === 200 &&
        postmasterPid(dataDir) !== dead &&
        bot.output().includes('embedded PostgreSQL restarted'),
      30_000,
    );
    expect(bot.output()).toContain('embedded PostgreSQL exited unexpectedly; restarting it');
    expect(isAlive(postmasterPid(dataDir)!)).toBe(true);
    await stopCleanly(bot);
  }, 120_000);

  it('exits 1 when the embedded server dies and cannot be restarted, instead of staying half-alive', async () => {
    const dataDir = path.join(root, 'server-gone');
    const bot = start(dataDir, { EMBEDDED_DB_RESTART_ATTEMPTS: '2' });
    await bot.up();
    // Without PG_VERSION the data directory is no longer startable: every restart fails.
    renameSync(path.join(dataDir, 'postgres', 'PG_VERSION'), path.join(dataDir, 'PG_VERSION.moved'));
    process.kill(postmasterPid(dataDir)!, 'SIGKILL');

    expect(await bot.exited, bot.output().slice(-3000)).toBe(1);
    expect(bot.output()).toContain('restarting embedded PostgreSQL failed');
    expect(bot.output()).toMatch(/could not be restarted \(2 attempts\).*exiting with status 1/);
  }, 120_000);
});
