import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { AppDeps } from '../../src/deps.js';
import { listenerRouter } from '../../src/slack/listeners/index.js';
import { SlackRouter } from '../../src/slack/listeners/router.js';
import { writeMappingFile } from '../support/mappingFile.js';

describe('SlackRouter (one Bolt listener per kind)', () => {
  it('an alias that repeats the command itself is one listener, not a start-up failure', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      INCIDENT_BOT_CONFIG: writeMappingFile({ slack: { aliases: ['/incident', '/ff', '/ff'] } }),
    });
    expect(() => listenerRouter({ config } as AppDeps)).not.toThrow();
  });

  it('two flows claiming the same id is a programming error, caught at start', () => {
    const router = new SlackRouter();
    router.view('same_callback', async () => undefined);
    expect(() => router.view('same_callback', async () => undefined)).toThrow(/two Slack listeners/);
  });
});
