import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { createOwnedPool } from './pgPool.js';

export { Prisma, PrismaClient } from '../generated/prisma/client.js';
export type * from '../generated/prisma/models.js';

/** A transaction client, as handed to `prisma.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type Db = PrismaClient | Tx;

const sqlPools = new WeakMap<object, pg.Pool>();

/**
 * The node-postgres pool under a client made by createPrismaClient, for the one statement on a
 * hot path that Prisma would cost more than it does (a raw query still goes through Prisma's
 * query compiler: a third of the CPU of a webhook ingest, measured).
 */
export function sqlPoolOf(db: object): pg.Pool | undefined {
  // By identity: a transaction client is not in the map (its statements must stay in it).
  return sqlPools.get(db as PrismaClient);
}

/**
 * Prisma on the Rust-free client engine, talking to Postgres through a node-postgres pool we
 * own: idle connections dropped by the server (restart, failover, shutdown) are reported to
 * `onPoolError` instead of crashing the process, and `$disconnect()` ends the pool and resolves
 * only once its connections are closed (so the server can be stopped right after, quietly).
 */
export function createPrismaClient(
  databaseUrl: string,
  poolSize = 10,
  onPoolError: (error: Error) => void = () => undefined,
): PrismaClient {
  const owned = createOwnedPool({ connectionString: databaseUrl, max: poolSize, onError: onPoolError });
  const prisma = new PrismaClient({ adapter: new PrismaPg(owned.pool, { disposeExternalPool: false }) });
  sqlPools.set(prisma, owned.pool);
  const disconnect = prisma.$disconnect.bind(prisma);
  // Prisma's own $disconnect would only call pool.end(), which does not wait for the sockets.
  prisma.$disconnect = async () => {
    await disconnect();
    await owned.end();
  };
  return prisma;
}
