import {
  isApiError,
  isAuthError,
  isForbiddenError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isServerError,
} from 'jira.js/core';
import { storableText } from '../domain/userText.js';
import { scrubSecrets } from '../logger.js';
import { AppError } from '../errors.js';
import { classifyNetworkFailure } from '../networkFailure.js';

/**
 * A create that failed this way may still have happened: the request left, and either the answer
 * was lost (network, timeout) or Jira failed after doing the work (5xx) or answered something we
 * cannot read. Only looking can tell (see CreateIntent).
 */
export const outcomeUnknown = (error: AppError): boolean =>
  ['JIRA_NETWORK_ERROR', 'JIRA_SERVER_ERROR', 'JIRA_UNEXPECTED_RESPONSE'].includes(error.code);

/** Jira's ErrorCollection: `{errorMessages: [], errors: {<fieldId>: message}}` — either may be missing. */
export function jiraErrorDetails(body: unknown): { messages: string[]; fieldErrors: Record<string, string> } {
  const messages: string[] = [];
  const fieldErrors: Record<string, string> = {};
  if (typeof body === 'string') {
    if (body.trim()) messages.push(storableText(body.trim(), 300));
  } else if (body && typeof body === 'object') {
    const record = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
    if (Array.isArray(record.errorMessages)) messages.push(...record.errorMessages.map(String));
    if (typeof record.message === 'string') messages.push(record.message);
    if (record.errors && typeof record.errors === 'object') {
      for (const [field, message] of Object.entries(record.errors as Record<string, unknown>))
        fieldErrors[field] = String(message);
    }
  }
  return { messages, fieldErrors };
}

/** Fields that name a person: an error there is about an account, never about the mapping. */
const PERSON_FIELDS = new Set(['reporter', 'assignee']);

export interface JiraErrorContext {
  /** What we were doing, for the message: "create the ticket in INC". */
  action: string;
  email?: string | undefined;
  projectKey?: string | undefined;
}

/**
 * Classify a jira.js failure on the HTTP status (never the body's shape, which varies): network,
 * 429 and 5xx are retryable; 400/401/403/404 are not, and say what to fix.
 */
export function asJiraError(error: unknown, context: JiraErrorContext): AppError {
  if (error instanceof AppError) return error;
  if (isRateLimitError(error)) {
    return new AppError('JIRA_RATE_LIMITED', `Jira rate-limited "${context.action}"`, {
      cause: error,
      retryable: true,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      userMessage: 'Jira is rate-limiting the bot; it will try again shortly.',
    });
  }
  if (isNetworkError(error)) {
    const failure = classifyNetworkFailure(error);
    return new AppError(
      'JIRA_NETWORK_ERROR',
      `Jira unreachable while trying to ${context.action}: ${scrubSecrets(failure?.detail ?? error.message)}`,
      {
        cause: error,
        retryable: true,
        details: failure ? { network: failure.kind, networkCode: failure.code } : {},
        userMessage: failure ? `Jira is unreachable: ${failure.detail}.` : 'Jira is unreachable.',
      },
    );
  }
  if (isServerError(error)) {
    return new AppError(
      'JIRA_SERVER_ERROR',
      `Jira answered HTTP ${error.status} while trying to ${context.action}`,
      {
        cause: error,
        retryable: true,
        userMessage: `Jira answered HTTP ${error.status}.`,
      },
    );
  }
  if (isAuthError(error)) {
    return new AppError(
      'JIRA_AUTH_FAILED',
      `Jira rejected the credentials (HTTP 401) while trying to ${context.action}`,
      {
        cause: error,
        userMessage:
          `Invalid Credentials: the API token must belong to the configured email's account${context.email ? ` (${context.email})` : ''}. ` +
          'Check JIRA_EMAIL and JIRA_API_TOKEN (tokens expire after a year).',
      },
    );
  }
  if (isForbiddenError(error)) {
    const { messages } = jiraErrorDetails(error.body);
    return new AppError('JIRA_FORBIDDEN', `Jira refused (HTTP 403) to ${context.action}`, {
      cause: error,
      userMessage:
        `The bot's Jira account is not allowed to ${context.action}${messages.length ? ` (${messages.join('; ')})` : ''}. ` +
        'Give it the needed project permissions.',
    });
  }
  if (isNotFoundError(error)) {
    const { messages } = jiraErrorDetails(error.body);
    return new AppError('JIRA_NOT_FOUND', `Jira found nothing (HTTP 404) while trying to ${context.action}`, {
      cause: error,
      userMessage: context.projectKey
        ? `Unable to find ticket: project ${context.projectKey} not found or not visible to the bot.`
        : `Unable to find ticket${messages.length ? `: ${messages.join('; ')}` : ''}.`,
    });
  }
  if (isApiError(error)) {
    const { messages, fieldErrors } = jiraErrorDetails(error.body);
    const fields = Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`);
    const all = [...messages, ...fields];
    if (fieldErrors.project && context.projectKey) {
      return new AppError(
        'JIRA_INVALID_REQUEST',
        `Jira rejected project ${context.projectKey}: ${fieldErrors.project}`,
        {
          cause: error,
          details: { status: error.status, fieldErrors, messages },
          userMessage: `project ${context.projectKey} not found or not visible to the bot (Jira: "${fieldErrors.project}"). Check jira.projectKey in the mapping file and the bot's project permissions.`,
        },
      );
    }
    const retryable = error.status === 408 || error.status === 409 || error.status === 425;
    const userFieldsOnly =
      Object.keys(fieldErrors).length > 0 &&
      Object.keys(fieldErrors).every((field) => PERSON_FIELDS.has(field));
    if (userFieldsOnly) {
      // A person's account (deleted, on another site, or a field the bot may not set), not the mapping.
      return new AppError(
        'JIRA_INVALID_REQUEST',
        `Jira refused a user account (HTTP ${error.status}) to ${context.action}: ${all.join('; ')}`,
        {
          cause: error,
          retryable,
          details: { status: error.status, fieldErrors, messages },
          userMessage: `Jira refused the person set as ${Object.keys(fieldErrors).join(' and ')}: ${fields.join('; ')}. Their Jira account may not exist on this site, or the bot's account may not set that field.`,
        },
      );
    }
    return new AppError(
      'JIRA_INVALID_REQUEST',
      `Jira rejected the request (HTTP ${error.status}) to ${context.action}: ${all.join('; ')}`,
      {
        cause: error,
        retryable,
        details: { status: error.status, fieldErrors, messages },
        userMessage: all.length
          ? `Jira refused to ${context.action}: ${all.join('; ')}. Fix the field mapping (INCIDENT_BOT_CONFIG) or the Jira screen configuration.`
          : `Jira refused to ${context.action} (HTTP ${error.status}).`,
      },
    );
  }
  const failure = classifyNetworkFailure(error);
  return new AppError(
    'JIRA_NETWORK_ERROR',
    `Jira call failed while trying to ${context.action}: ${scrubSecrets(failure?.detail ?? String((error as Error)?.message ?? error))}`,
    {
      cause: error,
      retryable: true,
      details: failure ? { network: failure.kind, networkCode: failure.code } : {},
      userMessage: failure ? `Jira could not be reached: ${failure.detail}.` : 'Jira could not be reached.',
    },
  );
}
