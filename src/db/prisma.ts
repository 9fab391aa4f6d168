import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { createOwnedPool } from './pgPool.js';

export { Prisma, PrismaClient } from '../generated/prisma/client.js';
export type * from '../generated/prisma/models.js';

/** A transaction client, as handed to `prisma.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type Db = PrismaClient | Tx;

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
  const disconnect = prisma.$disconnect.bind(prisma);
  // Prisma's own $disconnect would only call pool.end(), which does not wait for the sockets.
  prisma.$disconnect = async () => {
    await disconnect();
    await owned.end();
  };
  return prisma;
}
