import type { AppDeps } from '../../deps.js';
import { asAppError, type AppError } from '../../errors.js';

export const DATABASE_DOWN =
  ':x: The incident database is not answering right now. Nothing was changed; please try again in a minute.';

/**
 * What a person is told when their request failed after its ack: Slack's refusal, a change made
 * meanwhile (someone else closed it first), or else the database, which is what is left.
 */
export function failureText(error: AppError): string {
  if (error.code.startsWith('SLACK_')) return `:x: Slack refused: ${error.userMessage}`;
  if (error.code === 'INCIDENT_CHANGED' || error.code === 'INCIDENT_NOT_FOUND')
    return `:x: ${error.userMessage}`;
  return DATABASE_DOWN;
}

/**
 * Run a flow that answers after the ack; if it fails (database down, Slack refusing), the person
 * is told so instead of seeing nothing. Look-ups go inside the flow: a failed one must not read
 * as "does not exist or is private".
 */
export async function runOrSay(
  deps: AppDeps,
  flow: () => Promise<unknown>,
  tell: (message: { text: string }) => Promise<unknown>,
): Promise<void> {
  try {
    await flow();
  } catch (error) {
    const appError = asAppError(error);
    deps.logger.error({ err: appError, code: appError.code }, 'a Slack request failed after its ack');
    await tell({ text: failureText(appError) }).catch(() => undefined);
  }
}
