import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase } from '../../src/db/database.js';
import { readMigrations } from '../../src/db/migrate.js';
import { testLogger } from '../support/pgServer.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-db-'));
const config = loadConfig({
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'secret',
  DATA_DIR: path.join(dataDir, '.data'),
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('embedded PostgreSQL (DATABASE_URL unset)', () => {
  it('boots from an empty data dir, migrates, seeds, and reuses the data on the next start', async () => {
    const logger = testLogger();
    const first = await openDatabase(config, logger);
    try {
      expect(first.embedded).toBeDefined();
      const clusterDir = path.join(dataDir, '.data', 'postgres');
      expect(existsSync(path.join(clusterDir, 'PG_VERSION'))).toBe(true);
      if (process.getuid?.() === 0) {
        // PostgreSQL refuses root: the cluster belongs to the postgres user.
        expect(statSync(clusterDir).uid).not.toBe(0);
      }
      const applied = await first.prisma.$queryRaw<{ migration_name: string }[]>`
        select migration_name from "_prisma_migrations" where finished_at is not null order by migration_name`;
      expect(applied.map((row) => row.migration_name)).toEqual(readMigrations().map((m) => m.name));
      expect(await first.prisma.priority.count()).toBe(5);
      const p1 = await first.prisma.priority.findUniqueOrThrow({ where: { value: 1 } });
      expect(p1).toMatchObject({ name: 'P1', emoji: '🌪️', needsPostMortem: true, slaMinutes: 120 });
      expect(await first.prisma.impactLevel.count()).toBe(24);
      expect(await first.prisma.category.count({ where: { isPrivate: true } })).toBe(2);

      await first.prisma.group.create({ data: { name: 'kept across restarts' } });
    } finally {
      await first.close();
    }

    const second = await openDatabase(config, logger);
    try {
      // Same data: the row written before survives, migrations are not re-applied, seeds don't duplicate.
      expect(await second.prisma.group.count({ where: { name: 'kept across restarts' } })).toBe(1);
      expect(await second.prisma.priority.count()).toBe(5);
      const history = await second.prisma.$queryRaw<
        { n: bigint }[]
      >`select count(*) as n from "_prisma_migrations"`;
      expect(Number(history[0]!.n)).toBe(readMigrations().length);
    } finally {
      await second.close();
    }
  });

  it('commits and rolls back real transactions through Prisma', async () => {
    const database = await openDatabase(config, testLogger());
    try {
      const { prisma } = database;
      const user = await prisma.user.create({ data: { slackUserId: 'U0TXROUND', name: 'Round Trip' } });
      await expect(
        prisma.$transaction(async (tx) => {
          await tx.incident.create({
            data: {
              title: 'rolled back incident',
              description: 'never visible',
              priorityId: 1,
              categoryId: 1,
              createdById: user.id,
            },
          });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await prisma.incident.count({ where: { title: 'rolled back incident' } })).toBe(0);

      const created = await prisma.$transaction(async (tx) =>
        tx.incident.create({
          data: {
            title: 'committed incident',
            description: 'visible',
            priorityId: 2,
            categoryId: 1,
            createdById: user.id,
          },
        }),
      );
      const read = await prisma.incident.findUniqueOrThrow({
        where: { id: created.id },
        include: { priority: true },
      });
      expect(read.priority.name).toBe('P2');
      expect(read.status).toBe('OPEN');
    } finally {
      await database.close();
    }
  });
});

describe('migrations', () => {
  it('the newest migration was generated from the current prisma/schema.prisma', () => {
    const dir = path.join(process.cwd(), 'prisma', 'migrations');
    const newest = readdirSync(dir)
      .filter((name) => /^\d{14}_/.test(name))
      .sort()
      .at(-1)!;
    // The data model, not how the client is generated (a generator option needs no migration).
    const model = (schema: string) => schema.replace(/^generator \w+ \{[\s\S]*?^\}\n/m, '');
    const snapshot = model(readFileSync(path.join(dir, newest, 'schema.prisma'), 'utf8'));
    const current = model(readFileSync(path.join(process.cwd(), 'prisma', 'schema.prisma'), 'utf8'));
    expect(current).not.toContain('generator client');
    expect(
      snapshot,
      'schema.prisma changed without a migration: run npm run db:migration:new -- <name>',
    ).toBe(current);
  });
});
