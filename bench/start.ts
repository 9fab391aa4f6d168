/**
 * `npm run bench:start`: what an operator waits for and pays for at `npm start`.
 *
 *   cold start   first start on an empty DATA_DIR (initdb + migrations), spawn → /healthz 200
 *   warm start   later starts on the same DATA_DIR, spawn → /healthz 200 (median of BENCH_RUNS)
 *   idle RSS     resident memory of the bot's process tree (PostgreSQL excluded) once idle
 *
 * It runs exactly the command of package.json's `start` script (through `sh -c`, with
 * node_modules/.bin on PATH as npm does, but without npm's own process in the figures) against
 * a local fake Slack, so before/after comparisons measure the start script itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../src/db/embedded.js';
import { FakeSlack } from '../test/support/fakeSlack.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const idleSettleMs = Number(process.env.BENCH_IDLE_MS ?? 5000);
// BENCH_START_COMMAND compares another command (e.g. `tsx src/main.ts`) with the same harness.
const startScript =
  process.env.BENCH_START_COMMAND ??
  (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;

/** Children of every process, from /proc (Linux only, like the machines this runs on). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i]!) ?? []));
  return found;
}

/** RSS (MiB) of the process tree, PostgreSQL's processes excluded: they are the same either way. */
function treeRssMiB(root: number): number {
  let kib = 0;
  for (const pid of descendants(root)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (/^Name:\s+postgres/m.test(status)) continue;
      kib += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kib / 1024;
}

async function healthy(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited early:\n${output().slice(-2000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function startOnce(dataDir: string, slackUrl: string, measureRss: boolean) {
  const port = await findFreePort();
  const started = performance.now();
  const child = spawn('sh', ['-c', `exec ${startScript}`], {
    env: {
      PATH: `${path.resolve('node_modules/.bin')}:${process.env.PATH}`,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: 'bench',
      SLACK_API_URL: slackUrl,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await healthy(port, child, () => output);
    const ms = performance.now() - started;
    let rss: number | undefined;
    if (measureRss) {
      await new Promise((resolve) => setTimeout(resolve, idleSettleMs));
      rss = treeRssMiB(child.pid!);
    }
    return { ms, rss };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'incident-bot-start-')), '.data');
const slack = await new FakeSlack().start();
try {
  console.log(`start script: ${startScript}`);
  const cold = await startOnce(dataDir, slack.url, false);
  console.log(`cold start (empty DATA_DIR)  ${cold.ms.toFixed(0)} ms`);
  const warm: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await startOnce(dataDir, slack.url, true);
    warm.push(run.ms);
    rss.push(run.rss!);
  }
  console.log(
    `warm start (existing DATA_DIR) median ${median(warm).toFixed(0)} ms  runs: ${warm.map((ms) => ms.toFixed(0)).join(', ')}`,
  );
  console.log(
    `idle RSS after ${idleSettleMs / 1000} s (bot processes, PostgreSQL excluded) median ${median(rss).toFixed(0)} MiB  runs: ${rss.map((mib) => mib.toFixed(0)).join(', ')}`,
  );
} finally {
  await slack.stop();
  rmSync(path.dirname(dataDir), { recursive: true, force: true });
}
