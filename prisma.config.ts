import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig } from 'prisma/config';

// Prisma's native engines cannot be downloaded on our machines, so the CLI runs its WASM schema
// engine through a driver adapter. The CLI only generates the client and authors migrations
// (`npm run db:migration:new`), replaying prisma/migrations into an in-memory PGlite database
// and diffing it against schema.prisma: no server, no network. Migrations are applied to real
// PostgreSQL by src/db/migrate.ts. The datasource URL must resolve even though it is unused.
process.env.DATABASE_URL ??= 'postgresql://unused@127.0.0.1:5432/unused';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  // The adapter bundles its own copy of Prisma's adapter types; the runtime shape is the same.
  adapter: async () => new PrismaPGlite(new PGlite()) as never,
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
