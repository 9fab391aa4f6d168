import { z } from 'zod';

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
export const envSchema = z
  .object({
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
    SLACK_BOT_TOKEN: z
      .string({ error: 'required' })
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
    JIRA_BASE_URL: optionalHttpUrl,
    JIRA_EMAIL: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.email('must be an email address').optional(),
    ),
    JIRA_API_TOKEN: optionalString,
    JIRA_OAUTH_TOKEN: optionalString,
    JIRA_WEBHOOK_SECRET: optionalString,
    JIRA_TIMEOUT_MS: integer(15000, 100, 120000),
    INCIDENT_BOT_CONFIG: optionalString,
    PUBLIC_BASE_URL: optionalHttpUrl,
    WORKER_CONCURRENCY: integer(5, 1, 50),
    WORKER_POLL_INTERVAL_MS: integer(2000, 50, 600000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
    const jiraAuth = env.JIRA_OAUTH_TOKEN ?? (env.JIRA_EMAIL && env.JIRA_API_TOKEN);
    const anyJira = env.JIRA_BASE_URL || env.JIRA_EMAIL || env.JIRA_API_TOKEN || env.JIRA_OAUTH_TOKEN;
    if (anyJira) {
      if (!env.JIRA_BASE_URL) {
        ctx.addIssue({ code: 'custom', path: ['JIRA_BASE_URL'], message: 'required when Jira credentials are set' });
      }
      if (!jiraAuth) {
        for (const name of ['JIRA_EMAIL', 'JIRA_API_TOKEN'] as const) {
          if (!env[name]) {
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'required with JIRA_BASE_URL (or set JIRA_OAUTH_TOKEN instead)',
            });
          }
        }
      }
    }
  });

export type Env = z.infer<typeof envSchema>;
