import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { isPostmasterOf, parentPid, takeOverDataDir } from '../../src/db/postmasterLock.js';
import { eventually } from '../support/eventually.js';
import { testLogger } from '../support/pgServer.js';

/**
 * Which process a postmaster.pid names, decided from /proc and never from the pid alone. Fake
 * servers are node processes renamed "postgres" (argv0), so each case is set up exactly.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-lock-'));
const clusterDir = path.join(root, 'postgres');
const lockFile = path.join(clusterDir, 'postmaster.pid');
const ownerFile = path.join(root, 'embedded-postgres.owner');
mkdirSync(clusterDir);
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(lockFile, { force: true });
  rmSync(ownerFile, { force: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A node process whose command line reads `<argv0> … <args>`; records signals; SIGINT exits. */
async function fake(argv0: string, args: string[], cwd = root) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `for (const s of ['SIGINT','SIGTERM','SIGQUIT','SIGHUP']) process.on(s, () => {
         require('fs').writeSync(1, 'got ' + s + '\\n'); // synchronous: it may exit right after
         if (s === 'SIGINT') { require('fs').rmSync(${JSON.stringify(lockFile)}, { force: true }); process.exit(0); }
       });
       console.log('ready'); setInterval(() => {}, 1000);`,
      '--', // what follows is the fake's own command line, not node options
      ...args,
    ],
    { argv0, cwd, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(
    async () => output,
    (text) => text.includes('ready'),
  );
  return { child, pid: child.pid!, output: () => output };
}

function writeLock(pid: number) {
  writeFileSync(lockFile, `${pid}\n${clusterDir}\n1700000000\n5432\n/tmp\n127.0.0.1\n0 0\nready\n`);
}

/** The postmaster of the suite's own PostgreSQL: a real server, of another data directory. */
async function foreignPostmaster(): Promise<{ pid: number; alive: () => Promise<boolean> }> {
  const url = inject('pgAdminUrl');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const pid = parentPid(rows[0]!.pid)!; // read while the backend still exists
  await client.end();
  expect(pid).toBeGreaterThan(1);
  const alive = async () => {
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    await check.query('select 1');
    await check.end();
    return true;
  };
  return { pid, alive };
}

describe('identifying our postmaster', () => {
  it('is a postgres process whose -D resolves to our data directory (relative to its cwd)', async () => {
    const server = await fake('postgres', ['-D', 'postgres', '-p', '5432']);
    expect(isPostmasterOf(server.pid, clusterDir)).toBe(true);
    expect(isPostmasterOf(server.pid, path.join(root, 'other'))).toBe(false);
    const other = await fake('node', ['-D', clusterDir]);
    expect(isPostmasterOf(other.pid, clusterDir), 'not a postgres binary').toBe(false);
    const { pid } = await foreignPostmaster();
    expect(isPostmasterOf(pid, clusterDir), 'a postgres of another data directory').toBe(false);
  });
});

describe('taking over the data directory', () => {
  it('removes a lock naming an unrelated live process and leaves the process alone', async () => {
    const unrelated = await fake('node', []);
    writeLock(unrelated.pid);
    await takeOverDataDir(clusterDir, ownerFile, testLogger());
    expect(existsSync(lockFile)).toBe(false);
    expect(unrelated.output()).toBe('ready\n');
    expect(unrelated.child.exitCode).toBeNull();
  });

  it('removes a lock naming a PostgreSQL of another data directory without signalling it', async () => {
    const foreign = await foreignPostmaster();
    writeLock(foreign.pid);
    await takeOverDataDir(clusterDir, ownerFile, testLogger());
    expect(existsSync(lockFile)).toBe(false);
    expect(await foreign.alive()).toBe(true);
  });

  it('leaves a lock naming a dead pid to PostgreSQL, which ignores it', async () => {
    const gone = await fake('node', []);
    gone.child.kill('SIGKILL');
    await new Promise((resolve) => gone.child.once('exit', resolve));
    writeLock(gone.pid);
    await takeOverDataDir(clusterDir, ownerFile, testLogger());
    expect(existsSync(lockFile)).toBe(true);
  });

  it('stops the postmaster of a killed run (its owner is gone) with a fast shutdown', async () => {
    const orphan = await fake('postgres', ['-D', clusterDir]);
    writeLock(orphan.pid);
    writeFileSync(ownerFile, JSON.stringify({ pid: 999_999_999 }));
    await takeOverDataDir(clusterDir, ownerFile, testLogger());
    await new Promise((resolve) =>
      orphan.child.exitCode === null ? orphan.child.once('close', resolve) : resolve(null),
    );
    expect(orphan.output()).toBe('ready\ngot SIGINT\n');
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses, without signalling it, a postmaster whose owner is alive (another bot uses DATA_DIR)', async () => {
    // The fake's parent is this test process: record it as the owner, as a live bot would be.
    const owned = await fake('postgres', ['-D', clusterDir]);
    writeLock(owned.pid);
    writeFileSync(ownerFile, JSON.stringify({ pid: process.pid }));
    await expect(takeOverDataDir(clusterDir, ownerFile, testLogger())).rejects.toMatchObject({
      code: 'EMBEDDED_DB_FAILED',
      userMessage: expect.stringContaining('belongs to another running bot') as unknown,
    });
    expect(owned.output()).toBe('ready\n');
    expect(existsSync(lockFile)).toBe(true);
  });

  it('waits for leftover server processes of a dead postmaster before touching the lock', async () => {
    const unrelated = await fake('node', []);
    await fake('postgres: incident_bot incident_bot 127.0.0.1(5000) idle', [], clusterDir);
    writeLock(unrelated.pid);
    await expect(takeOverDataDir(clusterDir, ownerFile, testLogger())).rejects.toThrow(
      /server processes of a previous run still work/,
    );
    expect(existsSync(lockFile)).toBe(true);
  });
});
