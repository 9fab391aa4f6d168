import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { DATABASE_DOWN, failureText } from '../../src/slack/listeners/runOrSay.js';

describe('what a person is told when a request fails after its ack', () => {
  it('a change made meanwhile (two closes at once) is said as such, not as the database being down', () => {
    const changed = new AppError('INCIDENT_CHANGED', 'changed', {
      userMessage: 'Someone changed this incident since you opened this form.',
    });
    expect(failureText(changed)).toBe(':x: Someone changed this incident since you opened this form.');
  });

  it("Slack's refusal names it; anything else is the database", () => {
    expect(
      failureText(new AppError('SLACK_API_ERROR', 'x', { userMessage: 'Slack refused `views.open`' })),
    ).toBe(':x: Slack refused: Slack refused `views.open`');
    expect(failureText(new AppError('DB_UNAVAILABLE', 'x'))).toBe(DATABASE_DOWN);
  });
});
