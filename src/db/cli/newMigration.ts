/**
 * `npm run db:migration:new -- <name>`: write the SQL that takes the database from the schema of
 * the newest migration to prisma/schema.prisma, as prisma/migrations/<timestamp>_<name>/.
 *
 * Each migration folder keeps a copy of the schema it produces (schema.prisma next to
 * migration.sql), so authoring is a pure schema-to-schema diff by Prisma's own differ: no
 * database server and no native engine download (see prisma.config.ts).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const schema = path.join(root, 'prisma', 'schema.prisma');
const migrationsDir = path.join(root, 'prisma', 'migrations');

const name = process.argv
  .slice(2)
  .join('_')
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_|_$/g, '');
if (!name) {
  console.error('usage: npm run db:migration:new -- <name>   (e.g. add_reminders)');
  process.exit(2);
}

const previous = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
  .at(-1);
const snapshot = previous ? path.join(migrationsDir, previous, 'schema.prisma') : undefined;
if (previous && !existsSync(snapshot!)) {
  console.error(`${previous} has no schema.prisma snapshot; cannot tell what changed since.`);
  process.exit(1);
}

const from = snapshot ? ['--from-schema-datamodel', snapshot] : ['--from-empty'];
const diff = spawnSync(
  'npx',
  ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script', '--exit-code'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
if (diff.status === 0) {
  console.log('prisma/schema.prisma has no changes since the newest migration; nothing written.');
  process.exit(0);
}
if (diff.status !== 2) {
  console.error('prisma migrate diff failed (see above).');
  process.exit(1);
}

const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const target = path.join(migrationsDir, `${stamp}_${name}`);
mkdirSync(target);
writeFileSync(path.join(target, 'migration.sql'), diff.stdout);
copyFileSync(schema, path.join(target, 'schema.prisma'));
console.log(
  `wrote ${path.relative(root, target)}/migration.sql — review it, then start the bot or run npm run db:migrate`,
);
