/**
 * Coded errors. Every failure that reaches a user, a log line or the job system is an AppError:
 * `code` is stable (tests and dashboards match on it), `retryable` tells the job system whether
 * trying again can help, and `userMessage` is what a responder should read in Slack.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'DB_UNAVAILABLE'
  | 'DB_MIGRATION_FAILED'
  | 'EMBEDDED_DB_FAILED'
  | 'WORKER_STOPPED'
  | 'SLACK_API_ERROR'
  | 'SLACK_RATE_LIMITED'
  | 'SLACK_NETWORK_ERROR'
  | 'JIRA_NOT_CONFIGURED'
  | 'JIRA_NETWORK_ERROR'
  | 'JIRA_RATE_LIMITED'
  | 'JIRA_SERVER_ERROR'
  | 'JIRA_AUTH_FAILED'
  | 'JIRA_FORBIDDEN'
  | 'JIRA_NOT_FOUND'
  | 'JIRA_INVALID_REQUEST'
  | 'JIRA_UNEXPECTED_RESPONSE'
  | 'JIRA_OUTCOME_UNKNOWN'
  | 'JIRA_USER_LOOKUP_FAILED'
  | 'JIRA_SYNC_UNMAPPED'
  | 'JIRA_NO_TRANSITION_PATH'
  | 'JIRA_CHANGED_MEANWHILE'
  | 'VALIDATION_FAILED'
  | 'INCIDENT_NOT_FOUND'
  | 'INCIDENT_CHANGED'
  | 'JOB_PAYLOAD_INVALID'
  | 'JOB_NOT_ENQUEUED'
  | 'WEBHOOK_SIGNATURE_INVALID'
  | 'WEBHOOK_PAYLOAD_INVALID'
  | 'INTERNAL';

export interface AppErrorOptions {
  retryable?: boolean;
  userMessage?: string;
  /** Delay the caller asked us to wait before retrying (HTTP Retry-After), milliseconds. */
  retryAfterMs?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly userMessage: string;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.userMessage = options.userMessage ?? message;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }
}

/** Normalise anything thrown into an AppError, keeping the original as `cause`. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', message, {
    cause: error,
    retryable: true,
    userMessage: 'Something went wrong on our side; it will be retried automatically.',
  });
}
