import {
  ApiError,
  AuthError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from 'jira.js/core';
import { describe, expect, it } from 'vitest';
import { asJiraError } from '../../src/jira/errors.js';
import { fixtureJson } from '../support/fixtures.js';

const context = { action: 'create the ticket in INC', email: 'bot@example.com', projectKey: 'INC' };

describe('Jira errors are classified on the HTTP status, with what to fix', () => {
  it('401 (the real Cloud body) → credentials message, not retried', () => {
    const error = asJiraError(
      new AuthError('401', 'Unauthorized', fixtureJson('jira/rest-401-unauthenticated.json')),
      context,
    );
    expect(error).toMatchObject({ code: 'JIRA_AUTH_FAILED', retryable: false });
    expect(error.userMessage).toContain(
      "Invalid Credentials: the API token must belong to the configured email's account (bot@example.com)",
    );
  });

  it('401 with a bare string body (seen in the wild) is still a credentials error', () => {
    expect(
      asJiraError(new AuthError('401', 'Unauthorized', 'Client must be authenticated'), context).code,
    ).toBe('JIRA_AUTH_FAILED');
  });

  it('400 about the reporter only → about the person\'s account, never "fix the mapping"', () => {
    const error = asJiraError(
      new ApiError('400', 400, 'Bad Request', {
        errorMessages: [],
        errors: { reporter: 'Specified user does not exist or you do not have required permissions' },
      }),
      context,
    );
    expect(error).toMatchObject({ code: 'JIRA_INVALID_REQUEST', retryable: false });
    expect(error.details.fieldErrors).toEqual({
      reporter: 'Specified user does not exist or you do not have required permissions',
    });
    expect(error.userMessage).toContain('Their Jira account may not exist on this site');
    expect(error.userMessage).not.toContain('mapping');
  });

  it('400 with field errors → every field id and message, not retried', () => {
    const error = asJiraError(
      new ApiError(
        '400',
        400,
        'Bad Request',
        fixtureJson('jira/rest-create-issue-400-required-customfields.json'),
      ),
      context,
    );
    expect(error).toMatchObject({ code: 'JIRA_INVALID_REQUEST', retryable: false });
    expect(error.userMessage).toContain('customfield_10040: Requestor is required.');
    expect(error.userMessage).toContain('customfield_10000: Exco is required.');
  });

  it('400 with only errorMessages (official example shape)', () => {
    const error = asJiraError(
      new ApiError(
        '400',
        400,
        'Bad Request',
        fixtureJson('jira/rest-v3-create-issue-400.openapi-example.json'),
      ),
      context,
    );
    expect(error.retryable).toBe(false);
    expect(error.userMessage).toMatch(/Jira refused to create the ticket in INC: .+/);
  });

  it('400 on the project field → "project KEY not found or not visible to the bot"', () => {
    const error = asJiraError(
      new ApiError('400', 400, 'Bad Request', {
        errorMessages: [],
        errors: { project: 'valid project is required' },
      }),
      context,
    );
    expect(error.userMessage).toContain('project INC not found or not visible to the bot');
  });

  it('403 and 404 are permanent and say so', () => {
    expect(
      asJiraError(new ForbiddenError('403', 'Forbidden', { errorMessages: ['No permission'] }), context),
    ).toMatchObject({
      code: 'JIRA_FORBIDDEN',
      retryable: false,
    });
    const notFound = asJiraError(
      new NotFoundError('404', 'Not Found', { errorMessages: ['No project could be found'] }),
      context,
    );
    expect(notFound).toMatchObject({ code: 'JIRA_NOT_FOUND', retryable: false });
    expect(notFound.userMessage).toContain('project INC not found or not visible to the bot');
  });

  it('429 carries Retry-After; 5xx and network failures are retryable', () => {
    expect(
      asJiraError(new RateLimitError('429', 'Too Many Requests', {}, { retryAfterMs: 30_000 }), context),
    ).toMatchObject({
      code: 'JIRA_RATE_LIMITED',
      retryable: true,
      retryAfterMs: 30_000,
    });
    expect(asJiraError(new ServerError('503', 503, 'Service Unavailable', ''), context)).toMatchObject({
      code: 'JIRA_SERVER_ERROR',
      retryable: true,
    });
    expect(
      asJiraError(
        new NetworkError('connect ECONNREFUSED', { cause: undefined, code: 'ECONNREFUSED', transient: true }),
        context,
      ),
    ).toMatchObject({ code: 'JIRA_NETWORK_ERROR', retryable: true });
  });
});
