import { AppError, asAppError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Run independent, idempotent steps so one failing does not block the others. Afterwards a
 * retryable failure is rethrown (the job retries; steps already done are no-ops), else the first
 * permanent one (the task reports it). Returns normally when every step succeeded.
 *
 * `concurrently`: the steps' calls overlap (a responder waits for the slowest call, not for the
 * sum of them). Only for steps that touch different things; where one must follow another
 * (archive, then say it is archived) or a burst would meet Slack's rate limits (every viewer's
 * App Home), they run one after the other.
 */
export async function runIndependentSteps(
  steps: Record<string, () => Promise<unknown>>,
  logger: Logger,
  options: { concurrently?: boolean } = {},
): Promise<void> {
  const attempt = async ([step, run]: [string, () => Promise<unknown>]) => {
    try {
      await run();
      return undefined;
    } catch (thrown) {
      const error = asAppError(thrown);
      logger.warn({ step, code: error.code, err: error }, 'step failed');
      return { step, error };
    }
  };
  const entries = Object.entries(steps);
  const failures: ({ step: string; error: AppError } | undefined)[] = [];
  if (options.concurrently) failures.push(...(await Promise.all(entries.map(attempt))));
  else for (const entry of entries) failures.push(await attempt(entry));
  // Reported in the steps' order, whichever finished first.
  const failed = failures.filter((failure) => failure !== undefined);
  const retryable = failed.find((failure) => failure.error.retryable)?.error;
  const permanent = failed.filter((failure) => !failure.error.retryable);
  if (retryable) throw retryable;
  const first = permanent[0];
  if (first) {
    throw new AppError(first.error.code, `${first.step}: ${first.error.message}`, {
      cause: first.error,
      userMessage: permanent.map(({ step, error }) => `${step}: ${error.userMessage}`).join('; '),
      details: { steps: permanent.map(({ step }) => step) },
    });
  }
}
