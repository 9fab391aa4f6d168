/** `npm run db:migrate`: apply pending migrations to DATABASE_URL, or to the embedded database. */
import { ConfigError, loadToolingConfig } from '../../config/index.js';
import { createLogger } from '../../logger.js';
import { resolveDatabaseUrl } from '../database.js';
import { applyMigrations } from '../migrate.js';

const config = (() => {
  try {
    return loadToolingConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
})();
const logger = createLogger({ level: config.env.LOG_LEVEL });
const { url, embedded } = await resolveDatabaseUrl(config, logger);
try {
  const applied = await applyMigrations(url, logger);
  logger.info({ applied: applied.length }, applied.length ? 'migrations applied' : 'database is up to date');
} finally {
  await embedded?.stop();
}
