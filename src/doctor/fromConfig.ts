import { LogLevel, WebClient } from '@slack/web-api';
import type { AppConfig } from '../config/index.js';
import { createJiraClient } from '../jira/client.js';
import { createJiraGateway } from '../jira/gateway.js';
import type { Logger } from '../logger.js';
import type { DoctorInput } from './checks.js';
import { toolingDatabase } from './databaseTargets.js';

/**
 * What `npm run doctor` checks with, built from the configuration alone (no running bot): the
 * Slack client without retries (a failure is reported, not waited out), the Jira gateway with
 * the bot's own timeouts, and the database as the bot would find it.
 */
export function doctorInputFromConfig(config: AppConfig, logger: Logger): DoctorInput {
  const slack = new WebClient(config.env.SLACK_BOT_TOKEN, {
    ...(config.env.SLACK_API_URL ? { slackApiUrl: `${config.env.SLACK_API_URL}/` } : {}),
    retryConfig: { retries: 0 },
    // The report says what failed; the client's own warnings would only repeat it, unformatted.
    logLevel: LogLevel.ERROR,
  });
  const jiraClient = createJiraClient(config.env, logger);
  const jira = jiraClient
    ? createJiraGateway(jiraClient, { baseUrl: config.env.JIRA_BASE_URL!, email: config.env.JIRA_EMAIL })
    : undefined;
  return { config, slack, jira, database: toolingDatabase(config, logger) };
}
