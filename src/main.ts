/** Entry point: parse config (exit 1 listing every problem), start the bot, stop it on signals. */
import { startBot } from './bot.js';
import { ConfigError, loadConfig } from './config/index.js';
import { AppError } from './errors.js';
import { createLogger } from './logger.js';

function configOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error('See .env.example for every variable.');
      process.exit(1);
    }
    throw error;
  }
}

const config = configOrExit();
const logger = createLogger({ level: config.env.LOG_LEVEL });

try {
  const bot = await startBot({ config, logger });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  const message = error instanceof AppError ? error.userMessage : (error as Error).message;
  logger.fatal({ err: error, code: (error as AppError).code }, 'incident bot failed to start');
  console.error(`incident bot failed to start: ${message}`);
  process.exit(1);
}
