/** `npm run db:migrate`: apply pending migrations to DATABASE_URL, or to the embedded database. */
import { ConfigError, loadConfig } from '../../config/index.js';
import { createLogger } from '../../logger.js';
import { resolveDatabaseUrl } from '../database.js';
import { applyMigrations } from '../migrate.js';

const config = (() => {
  try {
    // Migrating needs no Slack or Jira settings: fill the required ones with placeholders.
    return loadConfig({ SLACK_BOT_TOKEN: 'xoxb-migrate', SLACK_SIGNING_SECRET: 'migrate', ...process.env });
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
