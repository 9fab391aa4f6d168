import { loadConfig, type AppConfig } from '../../src/config/index.js';
import { startBot, type BotOptions, type RunningBot } from '../../src/bot.js';
import { FakeSlack } from './fakeSlack.js';
import { testLogger } from './pgServer.js';
import { TEST_BOT_TOKEN } from './logCapture.js';
import { SIGNING_SECRET } from './slackRequests.js';

export interface TestBot {
  bot: RunningBot;
  slack: FakeSlack;
  config: AppConfig;
  baseUrl: string;
  stop(): Promise<void>;
}

/** The whole bot in-process on an ephemeral port, against a fake Slack and the given database. */
export async function startTestBot(
  env: NodeJS.ProcessEnv,
  options: Partial<Omit<BotOptions, 'config' | 'logger'>> & { slack?: FakeSlack } = {},
): Promise<TestBot> {
  const slack = options.slack ?? (await new FakeSlack().start());
  const config = loadConfig({
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    PORT: '0',
    WORKER_POLL_INTERVAL_MS: '60000',
    // Effects at once (a delayed job waits for the poll); the burst test sets its own.
    EFFECTS_DEBOUNCE_MS: '0',
    ...env,
  });
  // No wall-clock cron in tests: reminder scans are run with an explicit time.
  const bot = await startBot({ config, logger: testLogger(), crontab: '', ...options });
  return {
    bot,
    slack,
    config,
    baseUrl: `http://127.0.0.1:${bot.port}`,
    async stop() {
      await bot.stop();
      await slack.stop();
    },
  };
}
