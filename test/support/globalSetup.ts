import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { defaultMapping } from '../../src/config/defaultMapping.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPrismaClient } from '../../src/db/prisma.js';
import { seedReferenceData } from '../../src/db/seed.js';
import { capturedLineCount, leakedSecrets, LOG_CAPTURE_ENV } from './logCapture.js';
import { ensureBuilt } from './npmScript.js';
import { testLogger, startScratchPostgres } from './pgServer.js';
import { SCRATCH_ROOT_ENV } from './tempDir.js';

export const TEMPLATE_DB = 'incident_bot_template';

/**
 * One PostgreSQL for the whole run. A template database gets our migrations, graphile-worker's
 * schema and reference data once; each test file clones it (CREATE DATABASE … TEMPLATE), which
 * takes milliseconds and isolates files from each other.
 */
export default async function setup(project: TestProject) {
  ensureBuilt();
  const { server, dataDir } = await startScratchPostgres('incident-bot-suite-');
  const adminUrl = server.url;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${TEMPLATE_DB}`);
  const templateUrl = adminUrl.replace(/\/postgres$/, `/${TEMPLATE_DB}`);
  const logger = testLogger();
  await applyMigrations(templateUrl, logger);
  await runMigrations({ connectionString: templateUrl, logger: undefined });
  const prisma = createPrismaClient(templateUrl, 2);
  await seedReferenceData(prisma, defaultMapping);
  await prisma.$disconnect();
  await admin.end();

  project.provide('pgAdminUrl', adminUrl);
  // Test processes inherit this: every bot's log lines land there, and are searched at the end.
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-logs-'));
  process.env[LOG_CAPTURE_ENV] = logDir;
  const scratchRoot = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-scratch-'));
  process.env[SCRATCH_ROOT_ENV] = scratchRoot;
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratchRoot, { recursive: true, force: true });
    const lines = capturedLineCount(logDir);
    const files = readdirSync(logDir).length;
    const leaks = leakedSecrets(logDir);
    if (!process.env.TEST_LOG_KEEP) rmSync(logDir, { recursive: true, force: true });
    if (leaks.length > 0) {
      // A teardown error alone does not change vitest's exit status: the run must fail.
      process.exitCode = 1;
      throw new Error(
        `secrets in ${leaks.length} of ${lines} captured log lines:\n${leaks.slice(0, 10).join('\n')}`,
      );
    }
    console.log(
      `log scan: ${lines} log lines captured in ${files} files, no token, secret or signature in any`,
    );
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
