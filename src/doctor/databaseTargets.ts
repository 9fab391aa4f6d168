import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { AppConfig } from '../config/index.js';
import { runningEmbeddedPostgres, startEmbeddedPostgres } from '../db/embedded.js';
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
  const running = runningEmbeddedPostgres(root);
  if (running) {
    return { where: `${where} (running, pid ${running.pid})`, connect: () => pgConnection(running.url) };
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
