import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eventually } from './eventually.js';
import { captureChildOutput, PROCESS_BOT_TOKEN, PROCESS_SIGNING_SECRET } from './logCapture.js';

export interface BotProcess {
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves with the port once this process logged "incident bot is up" (fails if it exits). */
  up(timeoutMs?: number): Promise<number>;
}

/** `src/main.ts` in its own process, as an operator runs it, with the embedded database. */
export function spawnBot(options: {
  dataDir: string;
  slackUrl: string;
  env?: NodeJS.ProcessEnv;
}): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: PROCESS_BOT_TOKEN,
      SLACK_SIGNING_SECRET: PROCESS_SIGNING_SECRET,
      SLACK_API_URL: options.slackUrl,
      PORT: '0', // the process picks a free port and logs it: no race with other test files
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    // 'close', not 'exit': the last lines it wrote may still be on their way when it exits.
    child.on('close', (code) => {
      captureChildOutput(child.pid, output);
      resolve(code);
    }),
  );
  return {
    child,
    output: () => output,
    exited,
    async up(timeoutMs = 60_000) {
      const port = await eventually(
        async () => /"port":(\d+),"socketMode":false,"msg":"incident bot is up"/.exec(output)?.[1],
        (found) => found !== undefined || child.exitCode !== null,
        timeoutMs,
      );
      if (port === undefined) throw new Error(`bot exited before it was up:\n${output.slice(-3000)}`);
      return Number(port);
    },
  };
}

/** GET /healthz: status code and body (503 while the database is down). */
export async function health(port: number): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as unknown };
}

/** The pid PostgreSQL wrote in the lock file of the cluster under `dataDir` (undefined: none). */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** A live process (a zombie waiting for its reaper counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The direct children of a process (e.g. a postmaster's backends), read from /proc. */
export function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the name: state, then the parent's pid.
      const [, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === parent) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** Log lines (pino JSON) at warn level or above. */
export function warnings(output: string): string[] {
  return output.split('\n').filter((line) => /"level":(4|5|6)\d/.test(line));
}
