import { readMigrations } from '../db/migrate.js';
import { classifyNetworkFailure } from '../networkFailure.js';
import type { CheckResult } from './result.js';

/** A connection the doctor can ask a few questions. */
export interface DoctorConnection {
  query<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/** The database the bot would use, as the doctor reaches it. */
export interface DoctorDatabase {
  /** "embedded PostgreSQL at /srv/bot/.data", "external PostgreSQL at db:5432/incidents". */
  where: string;
  /** Set when there is nothing to check yet (embedded database never started). */
  notCreatedYet?: boolean;
  connect(): Promise<DoctorConnection>;
}

/** PostgreSQL's own reasons, said as what to fix. */
const postgresReasons: Record<string, string> = {
  '28P01': 'password authentication failed (check the user and password in DATABASE_URL)',
  '28000': 'the server refuses this user or host (pg_hba.conf)',
  '3D000': 'the database does not exist (create it, or fix the name in DATABASE_URL)',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'too many connections',
};

function whyUnreachable(error: unknown): string {
  const failure = classifyNetworkFailure(error);
  if (failure) return failure.detail;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && postgresReasons[code]) return postgresReasons[code];
  return (error as Error).message ?? String(error);
}

/** Migrations recorded as applied, or undefined when the history table does not exist yet. */
async function appliedMigrations(connection: DoctorConnection): Promise<Set<string> | undefined> {
  try {
    const rows = await connection.query<{ migration_name: string }>(
      'select migration_name from "_prisma_migrations" where finished_at is not null and rolled_back_at is null',
    );
    return new Set(rows.map((row) => row.migration_name));
  } catch (error) {
    if ((error as { code?: unknown }).code === '42P01') return undefined; // undefined_table
    throw error;
  }
}

function migrationsResult(applied: Set<string> | undefined): CheckResult {
  const check = 'Database migrations';
  const shipped = readMigrations().map((migration) => migration.name);
  const pending = shipped.filter((name) => !applied?.has(name));
  const unknown = [...(applied ?? [])].filter((name) => !shipped.includes(name));
  if (unknown.length > 0) {
    return {
      check,
      ok: false,
      detail: `applied but unknown to this version of the bot: ${unknown.join(', ')} (is the bot older than its database?)`,
    };
  }
  if (pending.length > 0) {
    return {
      check,
      ok: false,
      detail: `not applied: ${pending.join(', ')} (run npm run db:migrate, or start the bot: it applies them)`,
    };
  }
  return { check, ok: true, detail: `all ${shipped.length} applied` };
}

/** Is the database reachable, and does it carry every migration this version ships? */
export async function checkDatabase(database: DoctorDatabase): Promise<CheckResult[]> {
  if (database.notCreatedYet) {
    return [
      {
        check: 'Database',
        ok: true,
        detail: `${database.where}: not created yet; the first start creates it and applies the migrations`,
      },
    ];
  }
  let connection: DoctorConnection;
  try {
    connection = await database.connect();
    await connection.query('select 1');
  } catch (error) {
    return [{ check: 'Database', ok: false, detail: `${database.where}: ${whyUnreachable(error)}` }];
  }
  try {
    const results: CheckResult[] = [{ check: 'Database', ok: true, detail: `${database.where}: reachable` }];
    try {
      results.push(migrationsResult(await appliedMigrations(connection)));
    } catch (error) {
      results.push({ check: 'Database migrations', ok: false, detail: whyUnreachable(error) });
    }
    return results;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
