/**
 * `npm run doctor`: check the Slack install and channels, the database and the Jira connection;
 * exit 1 if any check fails.
 */
import { ConfigError, loadConfig } from '../config/index.js';
import { createLogger } from '../logger.js';
import { formatDoctorReport, runDoctor } from './checks.js';
import { doctorInputFromConfig } from './fromConfig.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger({ level: 'warn' });
const results = await runDoctor(doctorInputFromConfig(config, logger));
console.log(formatDoctorReport(results));
process.exit(results.every((result) => result.ok) ? 0 : 1);
