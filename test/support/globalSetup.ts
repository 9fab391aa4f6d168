import { rmSync } from 'node:fs';
import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { defaultMapping } from '../../src/config/defaultMapping.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPrismaClient } from '../../src/db/prisma.js';
import { seedReferenceData } from '../../src/db/seed.js';
import { ensureBuilt } from './npmScript.js';
import { silentLogger, startScratchPostgres } from './pgServer.js';

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
  const logger = silentLogger();
  await applyMigrations(templateUrl, logger);
  await runMigrations({ connectionString: templateUrl, logger: undefined });
  const prisma = createPrismaClient(templateUrl, 2);
  await seedReferenceData(prisma, defaultMapping);
  await prisma.$disconnect();
  await admin.end();

  project.provide('pgAdminUrl', adminUrl);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
