import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';

export { Prisma, PrismaClient } from '../generated/prisma/client.js';
export type * from '../generated/prisma/models.js';

/** A transaction client, as handed to `prisma.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type Db = PrismaClient | Tx;

/**
 * Prisma on the Rust-free client engine, talking to Postgres through a node-postgres pool we
 * own: idle connections dropped by the server (restart, failover, shutdown) are reported to
 * `onPoolError` instead of crashing the process, and `$disconnect()` ends the pool.
 */
export function createPrismaClient(
  databaseUrl: string,
  poolSize = 10,
  onPoolError: (error: Error) => void = () => undefined,
): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  pool.on('error', onPoolError); // idle clients
  pool.on('connect', (client) => client.on('error', onPoolError)); // clients in use
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}
