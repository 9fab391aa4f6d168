import { createClient, type Client, NetworkError } from 'jira.js/core';
import type { Env } from '../config/index.js';
import type { Logger } from '../logger.js';
import { DeadlineError } from '../networkFailure.js';
import { withSignal } from './abortableFetch.js';

/** Jira connection settings, present only when Jira is configured. */

/**
 * jira.js transport: auth from config (OAuth bearer, else email + API token), no in-client
 * retries (jobs retry, with backoff and Retry-After), and a deadline on every call.
 */
export function createJiraClient(env: Env, logger: Logger): Client | undefined {
  if (!env.JIRA_BASE_URL) return undefined;
  const auth = env.JIRA_OAUTH_TOKEN
    ? { type: 'bearer' as const, token: env.JIRA_OAUTH_TOKEN }
    : { type: 'basic' as const, email: env.JIRA_EMAIL ?? '', apiToken: env.JIRA_API_TOKEN ?? '' };
  const base = createClient({
    host: env.JIRA_BASE_URL,
    auth,
    retry: { maxAttempts: 1 },
    onSchemaMismatch: (report) =>
      logger.debug({ jiraSchemaMismatch: report }, 'Jira response differs from jira.js schema'),
  });
  const timeoutMs = env.JIRA_TIMEOUT_MS;
  return {
    sendRequest<T>(options: Parameters<Client['sendRequest']>[0]): Promise<T> {
      // Past the deadline the request is aborted (its socket closed) and the call fails as a
      // timeout. Jira may still finish the work: callers that create treat it as unknown outcome.
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(
            new NetworkError(
              `Jira did not answer ${options.method ?? 'GET'} ${options.url} within ${timeoutMs} ms`,
              // The cause carries the deadline, so "timeout after N s" can be said where reported.
              { cause: new DeadlineError(timeoutMs, 'Jira'), code: 'ETIMEDOUT', transient: true },
            ),
          );
        }, timeoutMs);
      });
      const request = withSignal(controller.signal, () => base.sendRequest(options) as Promise<T>);
      request.catch(() => undefined); // its rejection after an abort is expected and handled by the race
      return Promise.race([request, deadline]).finally(() => clearTimeout(timer));
    },
  };
}
