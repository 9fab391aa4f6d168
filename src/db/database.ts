import type { AppConfig } from '../config/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.js';
import { applyMigrations } from './migrate.js';
import { createPrismaClient, type PrismaClient } from './prisma.js';
import { seedReferenceData } from './seed.js';

export interface Database {
  url: string;
  prisma: PrismaClient;
  /** Set when the bot runs its own PostgreSQL (DATABASE_URL unset). */
  embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * The embedded server died and could not be restarted: the caller must exit. Without it, the
   * loss is only logged.
   */
  onDatabaseLost?: (error: AppError) => void;
}

/** DATABASE_URL when set, else the embedded server under DATA_DIR (supervised). */
export async function resolveDatabaseUrl(
  config: AppConfig,
  logger: Logger,
  options: OpenDatabaseOptions = {},
): Promise<{ url: string; embedded: EmbeddedDatabase | undefined }> {
  if (config.env.DATABASE_URL) return { url: config.env.DATABASE_URL, embedded: undefined };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.env.DATA_DIR,
    port: config.env.EMBEDDED_DB_PORT,
    logger,
    restartAttempts: config.env.EMBEDDED_DB_RESTART_ATTEMPTS,
    ...(options.onDatabaseLost ? { onGiveUp: options.onDatabaseLost } : {}),
  });
  return { url: embedded.url, embedded };
}

/** Reach the database, apply pending migrations, load reference data. */
export async function openDatabase(
  config: AppConfig,
  logger: Logger,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  const { url, embedded } = await resolveDatabaseUrl(config, logger, options);
  try {
    await applyMigrations(url, logger);
  } catch (error) {
    await embedded?.stop();
    if (error instanceof AppError) throw error;
    throw new AppError('DB_UNAVAILABLE', `cannot reach the database: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const prisma = createPrismaClient(url, 10, (error) =>
    logger.warn({ err: error }, 'an idle database connection was closed by the server'),
  );
  await seedReferenceData(prisma, config.mapping);
  return {
    url,
    prisma,
    embedded,
    /** Pool first, server last: a server stopping under open clients makes each one log an error. */
    async close() {
      await prisma.$disconnect();
      await embedded?.stop();
    },
  };
}
