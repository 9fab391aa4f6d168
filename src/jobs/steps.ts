import { AppError, asAppError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Run independent, idempotent steps so one failing does not block the others. Afterwards a
 * retryable failure is rethrown (the job retries; steps already done are no-ops), else the first
 * permanent one (the task reports it). Returns normally when every step succeeded.
 */
export async function runIndependentSteps(
  steps: Record<string, () => Promise<unknown>>,
  logger: Logger,
): Promise<void> {
  let retryable: AppError | undefined;
  const permanent: { step: string; error: AppError }[] = [];
  for (const [step, run] of Object.entries(steps)) {
    try {
      await run();
    } catch (thrown) {
      const error = asAppError(thrown);
      logger.warn({ step, code: error.code, err: error }, 'step failed');
      if (error.retryable) retryable ??= error;
      else permanent.push({ step, error });
    }
  }
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
