/** Entry point: parse config (exit 1 listing every problem), start the bot, stop it on signals. */
import { startBot, type RunningBot } from './bot.js';
import { ConfigError, loadConfig } from './config/index.js';
import { AppError } from './errors.js';
import { createLogger } from './logger.js';
import { installRejectionPolicy } from './processPolicy.js';

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
installRejectionPolicy(process, logger);

// Signals are handled from the very start: one arriving while the bot is still starting stops
// it as soon as it is up, instead of killing the process half-way.
let bot: RunningBot | undefined;
let stopping = false;
let pendingSignal: string | undefined;

function shutdown(signal: string): void {
  if (stopping) return;
  if (!bot) {
    pendingSignal = signal;
    logger.info({ signal }, 'signal received while starting; stopping once started');
    return;
  }
  stopping = true;
  logger.info({ signal }, 'shutting down');
  bot.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    },
  );
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

try {
  bot = await startBot({ config, logger });
  if (pendingSignal) shutdown(pendingSignal);
} catch (error) {
  const message = error instanceof AppError ? error.userMessage : (error as Error).message;
  logger.fatal({ err: error, code: (error as AppError).code }, 'incident bot failed to start');
  console.error(`incident bot failed to start: ${message}`);
  process.exit(1);
}
