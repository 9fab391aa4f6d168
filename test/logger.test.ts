import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), text: () => lines.join('') };
}

describe('logger', () => {
  it('redacts tokens, secrets and signatures in fields, headers and free text', () => {
    const { logger, text } = capture();
    logger.info(
      {
        token: 'xoxb-123-abc',
        env: { JIRA_API_TOKEN: 'jira-secret', DATABASE_URL: 'postgresql://u:pw@h/db' },
      },
      'config',
    );
    logger.info(
      {
        headers: {
          'x-slack-signature': 'v0=deadbeef',
          'x-hub-signature': 'sha256=beef',
          authorization: 'Basic abc',
        },
      },
      'request',
    );
    logger.warn(
      'calling Slack with xoxb-999-leaky and xapp-1-A0-leaky at postgresql://bot:hunter2@db:5432/x',
    );
    logger.error({ err: new Error('auth failed for xoxb-42-zzz') }, 'boom');
    const out = text();
    for (const secret of [
      'xoxb-123-abc',
      'jira-secret',
      'pw@h',
      'v0=deadbeef',
      'sha256=beef',
      'Basic abc',
      'xoxb-999-leaky',
      'xapp-1-A0-leaky',
      'hunter2',
      'xoxb-42-zzz',
    ]) {
      expect(out, secret).not.toContain(secret);
    }
    expect(out).toContain('[Redacted]');
  });
});
