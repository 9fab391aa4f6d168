import { z } from 'zod';
import { jiraSiteRootFor } from './jiraSite.js';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s/]+/.test(value), 'must be an http:// or https:// URL')
  .transform((value) => value.replace(/\/+$/, ''));

const optionalHttpUrl = z.preprocess((value) => (value === '' ? undefined : value), httpUrl.optional());

const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (value) => (value === undefined || value === '' ? fallback : Number(value)),
    z.number().int().min(min).max(max),
  );

/**
 * The environment contract. Names are part of the product: keep them stable.
 * Jira is optional as a whole (the bot still opens incidents and queues ticket jobs that wait
 * for it), but a half-configured Jira is an error.
 */
export const envSchema = z.object({
  PORT: integer(3000, 0, 65535),
  DATABASE_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  EMBEDDED_DB_PORT: integer(0, 0, 65535),
  /** Restarts of a dead embedded PostgreSQL (back-off 1 s, 2 s, 4 s, …) before the bot exits 1. */
  EMBEDDED_DB_RESTART_ATTEMPTS: integer(4, 0, 20),
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .refine((value) => value.startsWith('xoxb-'), 'must be a bot token (xoxb-…)'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .refine((value) => value.startsWith('xapp-'), 'must be an app-level token (xapp-…)')
      .optional(),
  ),
  SLACK_API_URL: optionalHttpUrl,
  /** A Slack Web API call with no answer after this long is abandoned; its job tries again. */
  SLACK_TIMEOUT_MS: integer(10000, 100, 120000),
  JIRA_BASE_URL: optionalHttpUrl.superRefine((value, context) => {
    const root = value === undefined ? undefined : jiraSiteRootFor(value);
    if (root) {
      context.addIssue({
        code: 'custom',
        message: `is a page of the Jira site (copied from the browser), not the site itself: set JIRA_BASE_URL=${root}`,
      });
    }
  }),
  JIRA_EMAIL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.email('must be an email address').optional(),
  ),
  JIRA_API_TOKEN: optionalString,
  JIRA_OAUTH_TOKEN: optionalString,
  /**
   * Secret of the Jira admin webhook (`X-Hub-Signature: sha256=…`). Unset: every delivery to
   * /jira/webhook is refused (401), so an unsigned endpoint is never open.
   */
  JIRA_WEBHOOK_SECRET: optionalString,
  /** Largest webhook body accepted (bytes); a larger one is refused (413) without being buffered. */
  JIRA_WEBHOOK_MAX_BYTES: integer(1_000_000, 1024, 50_000_000),
  /** Deliveries (applied, skipped, failed, refused) are kept this many days for audit, then pruned. */
  WEBHOOK_RETENTION_DAYS: integer(30, 1, 3650),
  /**
   * Every N minutes (1–60) the ticket of every open incident is re-read and drift repaired, so a
   * lost webhook heals within one interval. 0 turns it off.
   */
  JIRA_RECONCILE_INTERVAL_MINUTES: integer(5, 0, 60),
  JIRA_TIMEOUT_MS: integer(15000, 100, 120000),
  /**
   * A Jira read a person waits on inside Slack's 3-second answer (the post-mortem's status when
   * closing) gives up after this long and says Jira did not answer, instead of missing Slack's
   * deadline.
   */
  JIRA_INTERACTIVE_TIMEOUT_MS: integer(2000, 100, 2500),
  /**
   * How long Jira's search may lag behind a create (Jira Cloud documents it as eventually
   * consistent). After a create whose answer was lost, the bot searches for that long before
   * it would ever create again.
   */
  JIRA_SEARCH_LAG_MS: integer(60000, 0, 3600000),
  INCIDENT_BOT_CONFIG: optionalString,
  /**
   * Re-rendering the announcement, notices and topic waits this long after the first change of
   * a burst, so ten quick edits edit the pinned message once.
   */
  EFFECTS_DEBOUNCE_MS: integer(1000, 0, 60000),
  WORKER_CONCURRENCY: integer(5, 1, 50),
  WORKER_POLL_INTERVAL_MS: integer(2000, 50, 600000),
  /** How often each worker process refreshes its heartbeat and looks for dead workers' locks. */
  WORKER_HEARTBEAT_INTERVAL_MS: integer(10000, 50, 600000),
  /** A worker silent this long is dead: its job locks are released (graphile-worker's own is 4 h). */
  WORKER_HEARTBEAT_TIMEOUT_MS: integer(40000, 200, 3600000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

/**
 * Rules that tie variables together, checked on the raw environment so they are reported even
 * when other variables are invalid. Jira is optional as a whole (incidents still open and their
 * ticket jobs wait), but a half-configured Jira is an error.
 */
export function crossVariableProblems(raw: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => Boolean(raw[name]?.trim());
  const problems: string[] = [];
  if (!set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET')) {
    problems.push(
      'SLACK_SIGNING_SECRET: required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  const jiraNames = ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_OAUTH_TOKEN'];
  if (jiraNames.some(set)) {
    if (!set('JIRA_BASE_URL')) problems.push('JIRA_BASE_URL: required when Jira credentials are set');
    if (!set('JIRA_OAUTH_TOKEN')) {
      for (const name of ['JIRA_EMAIL', 'JIRA_API_TOKEN']) {
        if (!set(name))
          problems.push(`${name}: required with JIRA_BASE_URL (or set JIRA_OAUTH_TOKEN instead)`);
      }
    }
  }
  return problems;
}
