import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { createLogger } from '../../src/logger.js';
import { captureDestination } from './logCapture.js';

/**
 * The bots' logger in tests: the production logger (same redaction), quiet on the console and
 * captured in full (debug) when the run captures logs, so they can be searched for secrets.
 */
export const testLogger = () => {
  const destination = captureDestination();
  return createLogger({
    level: process.env.TEST_LOG_LEVEL ?? (destination ? 'debug' : 'silent'),
    ...(destination ? { destination } : {}),
  });
};

/** A throwaway embedded PostgreSQL under the system temp dir (reachable by the postgres user). */
export async function startScratchPostgres(
  prefix = 'incident-bot-test-',
): Promise<{ server: EmbeddedDatabase; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dataDir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir,
    port: 0,
    logger: testLogger(),
    database: 'postgres',
  });
  return { server, dataDir };
}
