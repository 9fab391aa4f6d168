import {
  existsSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Taking over the embedded cluster's data directory after a crash.
 *
 * The server runs detached on purpose, so a `kill -9` of the bot leaves it running, and the pid
 * in `postmaster.pid` may since have been reused by an unrelated process. We never trust that
 * pid alone: a process is "our postmaster" only if /proc says it is a `postgres` binary whose
 * `-D` is this data directory. We then stop it and start our own rather than adopt it:
 * - a server we spawned is our child: its exit is an event (supervision needs it) and its stderr
 *   reaches our log, while an adopted orphan writes into a pipe nobody reads and dies silently;
 * - it runs with the settings of this start (port, sockets), not those of the killed run;
 * - a fast shutdown costs about a second, once, after a crash.
 * A live bot still using the directory is told apart from a killed one by the owner file: the
 * postmaster's parent is its owner for as long as the owner lives (a dead owner's children are
 * re-parented to a reaper, which never has the owner's pid, so pid reuse cannot fool this).
 */

const lockName = 'postmaster.pid';

function procFile(pid: number, name: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
}

function procCwd(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** True while `pid` names a live process (EPERM: it exists, we just may not signal it; a zombie is dead). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processState(pid) !== 'Z';
}

function processState(pid: number): string | undefined {
  const stat = procFile(pid, 'stat');
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}

/** The parent pid from /proc/<pid>/stat (the command name may contain spaces and parentheses). */
export function parentPid(pid: number): number | undefined {
  const stat = procFile(pid, 'stat');
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** Is `pid` a postgres server started with `-D <clusterDir>` (a relative -D read from its cwd)? */
export function isPostmasterOf(pid: number, clusterDir: string): boolean {
  const argv = procFile(pid, 'cmdline')?.split('\0').filter(Boolean);
  if (!argv || argv.length === 0 || !['postgres', 'postmaster'].includes(path.basename(argv[0]!))) {
    return false;
  }
  const flag = argv.findIndex((arg) => arg === '-D' || (arg.startsWith('-D') && arg.length > 2));
  if (flag < 0) return false;
  const dir = argv[flag] === '-D' ? argv[flag + 1] : argv[flag]!.slice(2);
  if (!dir) return false;
  const cwd = path.isAbsolute(dir) ? '/' : procCwd(pid);
  return cwd !== undefined && samePath(path.resolve(cwd, dir), clusterDir);
}

/**
 * Server processes still working in this data directory (every postgres process chdirs into it;
 * backends rename themselves, so their command line no longer shows -D).
 */
export function clusterProcesses(clusterDir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cwd = procCwd(pid);
    if (!cwd || !samePath(cwd, clusterDir)) continue;
    if (procFile(pid, 'cmdline')?.startsWith('postgres')) found.push(pid);
  }
  return found;
}

function lockPid(clusterDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(clusterDir, lockName), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Remember which process owns the server, so the next start can tell "killed" from "in use". */
export function recordOwner(ownerFile: string): void {
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid }), { mode: 0o644 });
}

function readOwner(ownerFile: string): number | undefined {
  try {
    const { pid } = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid?: unknown };
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await delay(50);
  }
  return true;
}

/** Fast shutdown (SIGINT) of an orphaned postmaster; immediate shutdown if it hangs. */
async function stopOrphan(pid: number, clusterDir: string, logger: Logger): Promise<void> {
  const gone = () => !existsSync(path.join(clusterDir, lockName)) || !processExists(pid);
  process.kill(pid, 'SIGINT');
  if (await waitUntil(gone, 15_000)) return;
  // Checked again: in 15 s the postmaster may have exited and its pid been reused.
  if (isPostmasterOf(pid, clusterDir)) {
    logger.warn(
      { postmasterPid: pid },
      'the orphaned PostgreSQL ignored a fast shutdown; sending an immediate shutdown',
    );
    process.kill(pid, 'SIGQUIT');
  }
  if (await waitUntil(gone, 10_000)) return;
  throw new AppError(
    'EMBEDDED_DB_FAILED',
    `the PostgreSQL left running in ${clusterDir} (pid ${pid}) did not stop`,
  );
}

/**
 * Make the data directory startable: stop a postmaster left behind by a killed run, refuse if a
 * live bot still owns it, and remove a lock file whose pid now names an unrelated process —
 * without ever signalling that process. (PostgreSQL itself only ignores a lock whose pid is dead
 * or not signallable by it; one naming a live process of the same user makes it refuse to start.)
 */
export async function takeOverDataDir(clusterDir: string, ownerFile: string, logger: Logger): Promise<void> {
  const pid = lockPid(clusterDir);
  if (pid === undefined || !processExists(pid)) return; // no lock, or a dead pid: PostgreSQL copes
  if (!existsSync('/proc/self/cmdline')) {
    // No /proc (macOS, BSD): we cannot tell our postmaster from a reused pid, so touch nothing.
    throw new AppError(
      'EMBEDDED_DB_FAILED',
      `embedded PostgreSQL in ${clusterDir} may be running (pid ${pid})`,
      {
        userMessage:
          `${path.join(clusterDir, lockName)} names pid ${pid}. If that is a PostgreSQL left by a killed bot, ` +
          `stop it (kill -INT ${pid}); if it is an unrelated process, delete the file. Then start again.`,
      },
    );
  }
  if (isPostmasterOf(pid, clusterDir)) {
    const owner = readOwner(ownerFile);
    if (owner !== undefined && parentPid(pid) === owner) {
      throw new AppError(
        'EMBEDDED_DB_FAILED',
        `embedded PostgreSQL in ${clusterDir} is in use by pid ${owner}`,
        {
          userMessage:
            `The embedded database in ${clusterDir} belongs to another running bot (pid ${owner}). ` +
            'Stop that bot or point DATA_DIR elsewhere.',
        },
      );
    }
    logger.warn(
      { postmasterPid: pid, dataDir: clusterDir },
      'embedded PostgreSQL left running by a killed run; stopping it',
    );
    await stopOrphan(pid, clusterDir, logger);
    logger.info({ postmasterPid: pid }, 'the orphaned embedded PostgreSQL stopped');
    return;
  }
  const leftovers = clusterProcesses(clusterDir);
  if (leftovers.length > 0) {
    // Backends of a dead postmaster still hold its shared memory; they exit on their own soon.
    throw new AppError(
      'EMBEDDED_DB_FAILED',
      `server processes of a previous run still work in ${clusterDir} (pids ${leftovers.join(', ')})`,
    );
  }
  logger.warn(
    { postmasterPid: pid, dataDir: clusterDir },
    'stale postmaster.pid names an unrelated live process; removing the lock file (the process is left alone)',
  );
  rmSync(path.join(clusterDir, lockName), { force: true });
}
