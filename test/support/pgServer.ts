import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { createLogger } from '../../src/logger.js';

export const silentLogger = () => createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A throwaway embedded PostgreSQL under the system temp dir (reachable by the postgres user). */
export async function startScratchPostgres(
  prefix = 'incident-bot-test-',
): Promise<{ server: EmbeddedDatabase; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dataDir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir,
    port: 0,
    logger: silentLogger(),
    database: 'postgres',
  });
  return { server, dataDir };
}
