import { ErrorCode } from '@slack/web-api';
import { AppError } from '../errors.js';

/** Slack platform errors that say "try again later" rather than "this will never work". */
const transientPlatformErrors = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_access_not_granted',
]);

/** The `error` string of a Slack platform error (`name_taken`, `channel_not_found`, …), if any. */
export function slackErrorCode(error: unknown): string | undefined {
  const candidate = error as { code?: string; data?: { error?: string } };
  return candidate?.code === ErrorCode.PlatformError ? candidate.data?.error : undefined;
}

/**
 * Normalise a Web API failure: network errors, HTTP 5xx/429 and transient platform errors are
 * retryable; anything else (`channel_not_found`, `invalid_auth`, `restricted_action`…) is not.
 */
export function asSlackError(error: unknown, method: string): AppError {
  if (error instanceof AppError) return error;
  const candidate = error as {
    code?: string;
    statusCode?: number;
    retryAfter?: number;
    data?: { error?: string; response_metadata?: { messages?: string[] } };
    message?: string;
  };
  switch (candidate?.code) {
    case ErrorCode.PlatformError: {
      const code = candidate.data?.error ?? 'unknown_error';
      return new AppError('SLACK_API_ERROR', `Slack ${method} failed: ${code}`, {
        cause: error,
        retryable: transientPlatformErrors.has(code),
        details: { method, slackError: code, messages: candidate.data?.response_metadata?.messages },
        userMessage: `Slack refused \`${method}\`: \`${code}\``,
      });
    }
    case ErrorCode.RateLimitedError:
      return new AppError('SLACK_RATE_LIMITED', `Slack ${method} rate limited`, {
        cause: error,
        retryable: true,
        retryAfterMs: (candidate.retryAfter ?? 1) * 1000,
      });
    case ErrorCode.HTTPError: {
      const status = candidate.statusCode ?? 0;
      return new AppError('SLACK_API_ERROR', `Slack ${method} answered HTTP ${status}`, {
        cause: error,
        retryable: status >= 500 || status === 429 || status === 408,
        details: { method, status },
        userMessage: `Slack answered HTTP ${status} to \`${method}\``,
      });
    }
    case ErrorCode.RequestError:
      return new AppError('SLACK_NETWORK_ERROR', `Slack ${method} unreachable: ${candidate.message ?? ''}`, {
        cause: error,
        retryable: true,
        userMessage: 'Slack could not be reached; retrying automatically.',
      });
    default:
      return new AppError('INTERNAL', `Slack ${method} failed: ${candidate?.message ?? String(error)}`, {
        cause: error,
        retryable: true,
      });
  }
}

/** Run one Web API call, turning its failure into a coded AppError. */
export async function slackCall<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asSlackError(error, method);
  }
}

/** Run a call whose listed error codes mean "already done" (e.g. `already_pinned`). */
export async function slackCallTolerating<T>(
  method: string,
  tolerated: readonly string[],
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && tolerated.includes(code)) return undefined;
    throw asSlackError(error, method);
  }
}
