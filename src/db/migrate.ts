import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { projectRoot } from '../projectRoot.js';

export const defaultMigrationsDir = path.join(projectRoot, 'prisma', 'migrations');

function statSafe(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Prisma's folder layout: prisma/migrations/<timestamp>_<name>/migration.sql, applied in name order. */
export function readMigrations(dir = defaultMigrationsDir): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && statSafe(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// Same table Prisma Migrate keeps, so `prisma migrate status` on a machine with native engines
// reads our history as its own.
const historyTable = `
create table if not exists "_prisma_migrations" (
  "id" varchar(36) primary key not null,
  "checksum" varchar(64) not null,
  "finished_at" timestamptz,
  "migration_name" varchar(255) not null,
  "logs" text,
  "rolled_back_at" timestamptz,
  "started_at" timestamptz not null default now(),
  "applied_steps_count" integer not null default 0
)`;

/** Arbitrary constant: serialises migrations across replicas starting at the same time. */
const migrationLockId = 727_001;

/**
 * Apply every migration not yet recorded, each in its own transaction together with its history
 * row, so a failed migration leaves nothing half-applied. Returns the names applied.
 */
export async function applyMigrations(
  databaseUrl: string,
  logger: Logger,
  migrations: MigrationFile[] = readMigrations(),
): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A dropped connection (failover, a session ended by an administrator) also rejects the query
  // in flight, which reports it; unheard, the client's 'error' event would crash the process.
  client.on('error', (error) => logger.debug({ err: error }, 'migration connection lost'));
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [migrationLockId]);
    await client.query(historyTable);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
    }>('select migration_name, checksum, finished_at from "_prisma_migrations" where rolled_back_at is null');
    const done = new Map(
      rows.filter((row) => row.finished_at).map((row) => [row.migration_name, row.checksum]),
    );
    for (const migration of migrations) {
      const recorded = done.get(migration.name);
      if (recorded !== undefined) {
        if (recorded !== migration.checksum) {
          logger.warn(
            { migration: migration.name },
            'migration was edited after it was applied; not re-applying',
          );
        }
        continue;
      }
      try {
        await client.query('begin');
        await client.query(migration.sql);
        await client.query(
          `insert into "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           values ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw new AppError(
          'DB_MIGRATION_FAILED',
          `migration ${migration.name} failed: ${(error as Error).message}`,
          {
            cause: error,
            details: { migration: migration.name },
          },
        );
      }
      applied.push(migration.name);
      logger.info({ migration: migration.name }, 'applied migration');
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [migrationLockId]).catch(() => undefined);
    await client.end();
  }
  return applied;
}
