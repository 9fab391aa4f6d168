/** `npm run doctor`: check the Slack install and the Jira connection; exit 1 if any check fails. */
import { WebClient } from '@slack/web-api';
import { ConfigError, loadConfig } from '../config/index.js';
import { createJiraClient } from '../jira/client.js';
import { createJiraGateway } from '../jira/gateway.js';
import { createLogger } from '../logger.js';
import { formatDoctorReport, runDoctor } from './checks.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger({ level: 'warn' });
const slack = new WebClient(config.env.SLACK_BOT_TOKEN, {
  ...(config.env.SLACK_API_URL ? { slackApiUrl: `${config.env.SLACK_API_URL}/` } : {}),
  retryConfig: { retries: 0 },
});
const jiraClient = createJiraClient(config.env, logger);
const jira = jiraClient
  ? createJiraGateway(jiraClient, { baseUrl: config.env.JIRA_BASE_URL!, email: config.env.JIRA_EMAIL })
  : undefined;
const results = await runDoctor({ config, slack, jira });
console.log(formatDoctorReport(results));
process.exit(results.every((result) => result.ok) ? 0 : 1);
