import type { Logger } from './logger.js';

/**
 * What the process does with a promise rejection nobody handled. Node's default is to exit,
 * which lets one odd request take down the HTTP server and the job worker with it. Every
 * request and job has its own error handling; a rejection that escapes it is a bug to log with
 * its context, not a reason to stop serving everyone else.
 */
export function installRejectionPolicy(target: NodeJS.EventEmitter, logger: Logger): () => void {
  const onRejection = (reason: unknown) => {
    logger.error(
      { err: reason instanceof Error ? reason : new Error(String(reason)), code: 'UNHANDLED_REJECTION' },
      'unhandled promise rejection; still serving',
    );
  };
  target.on('unhandledRejection', onRejection);
  return () => target.off('unhandledRejection', onRejection);
}
