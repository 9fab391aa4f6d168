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
  if (stopping) {
    // A stop that hangs (a database that no longer answers) must not leave Ctrl-C powerless.
    logger.warn({ signal }, 'second signal while stopping; exiting now without finishing the stop');
    process.exit(1);
  }
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
/**
 * Something vital is gone for good (see BotOptions.onFatal): stop what can be stopped, within a
 * deadline since the database may be unreachable, and exit 1 so the supervisor restarts us.
 */
function fatal(error: AppError): void {
  logger.fatal(
    { err: error, code: error.code },
    `${error.message}; exiting with status 1 so the process supervisor restarts the bot`,
  );
  process.exitCode = 1; // whatever happens next, this process did not end well
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 10_000).unref();
  (bot?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
}
// SIGHUP: the terminal the bot ran in was closed. Stop in order rather than die on the spot
// (which would leave the detached embedded server running until the next start).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));

try {
  bot = await startBot({ config, logger, onFatal: fatal });
  if (pendingSignal) shutdown(pendingSignal);
} catch (error) {
  const message = error instanceof AppError ? error.userMessage : (error as Error).message;
  logger.fatal({ err: error, code: (error as AppError).code }, 'incident bot failed to start');
  console.error(`incident bot failed to start: ${message}`);
  process.exit(1);
}
