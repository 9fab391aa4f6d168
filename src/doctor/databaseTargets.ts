import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { AppConfig } from '../config/index.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import { startupSummary } from '../startupSummary.js';
import type { DoctorConnection, DoctorDatabase } from './database.js';

/** Inside the running bot: its own Prisma client (reachable by construction, but migrations?). */
export function prismaDatabase(prisma: PrismaClient, config: AppConfig): DoctorDatabase {
  return {
    where: startupSummary(config).database,
    connect: async () => ({
      query: <T>(sql: string) => prisma.$queryRawUnsafe<T[]>(sql),
      close: async () => undefined,
    }),
  };
}

async function pgConnection(url: string, onClose: () => Promise<void> = async () => undefined) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined); // a server going away mid-check is reported by the query
  try {
    await client.connect();
  } catch (error) {
    await onClose();
    throw error;
  }
  const connection: DoctorConnection = {
    query: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    close: async () => {
      await client.end();
      await onClose();
    },
  };
  return connection;
}

/** The postmaster serving this data directory, if one is alive: pid and port from postmaster.pid. */
function runningPostmaster(clusterDir: string): { pid: number; port: number } | undefined {
  const file = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined; // stale file
  }
  return { pid, port };
}

/**
 * Outside the bot (`npm run doctor`): DATABASE_URL, or the embedded database under DATA_DIR —
 * joined when a bot is running on it, started for the check (and stopped) when not, and not
 * touched at all when it was never created. Layout and credentials file as in src/db/embedded.ts.
 */
export function toolingDatabase(config: AppConfig, logger: Logger): DoctorDatabase {
  const where = startupSummary(config).database;
  if (config.env.DATABASE_URL) {
    const url = config.env.DATABASE_URL;
    return { where, connect: () => pgConnection(url) };
  }
  const root = path.resolve(config.env.DATA_DIR);
  const clusterDir = path.join(root, 'postgres');
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    return { where, notCreatedYet: true, connect: () => Promise.reject(new Error('not created')) };
  }
  const running = runningPostmaster(clusterDir);
  if (running) {
    return {
      where: `${where} (running, pid ${running.pid})`,
      connect: () => {
        const { user, password } = JSON.parse(
          readFileSync(path.join(root, 'embedded-postgres.json'), 'utf8'),
        ) as { user: string; password: string };
        return pgConnection(
          `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${running.port}/incident_bot`,
        );
      },
    };
  }
  return {
    where: `${where} (started for this check)`,
    connect: async () => {
      const embedded = await startEmbeddedPostgres({
        dataDir: config.env.DATA_DIR,
        port: config.env.EMBEDDED_DB_PORT,
        logger,
      });
      return pgConnection(embedded.url, () => embedded.stop());
    },
  };
}
