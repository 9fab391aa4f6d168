import { asAppError } from '../errors.js';

/** One line of the doctor's report. Each `check` name appears once: one verdict per thing. */
export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
}

/** Run one check; anything it throws becomes that check's FAIL line, with the user message. */
export async function attempt(
  check: string,
  run: () => Promise<CheckResult | CheckResult[]>,
): Promise<CheckResult[]> {
  try {
    const result = await run();
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    return [{ check, ok: false, detail: asAppError(error).userMessage }];
  }
}

export const unique = <T>(values: Iterable<T>) => [...new Set(values)];
