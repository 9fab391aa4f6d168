import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths pino blanks out wherever they appear in a logged object (one or two levels deep). */
const redactPaths = [
  'token',
  'botToken',
  'appToken',
  'apiToken',
  'password',
  'secret',
  'signingSecret',
  'authorization',
  'signature',
  'headers.authorization',
  'headers.cookie',
  'headers["x-slack-signature"]',
  'headers["x-hub-signature"]',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'req.headers["x-hub-signature"]',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.apiToken',
  '*.password',
  '*.secret',
  '*.signingSecret',
  '*.authorization',
  '*.signature',
  'env.SLACK_BOT_TOKEN',
  'env.SLACK_SIGNING_SECRET',
  'env.SLACK_APP_TOKEN',
  'env.JIRA_API_TOKEN',
  'env.JIRA_OAUTH_TOKEN',
  'env.JIRA_WEBHOOK_SECRET',
  'env.DATABASE_URL',
];

/** Tokens that leak through free text (error messages, URLs) rather than structured fields. */
const secretPatterns: [RegExp, string][] = [
  [/xox[abprs]-[A-Za-z0-9-]+/g, '[Redacted]'],
  [/xapp-[A-Za-z0-9-]+/g, '[Redacted]'],
  [/(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/g, '$1[Redacted]@'],
  // An Authorization header quoted in an error (a client dumping the request it could not send).
  [/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/-]+=*/g, '$1 [Redacted]'],
];

export function scrubSecrets(text: string): string {
  return secretPatterns.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

export interface LoggerOptions {
  level: string;
  /** Write somewhere else than stdout (tests). */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: redactPaths, censor: '[Redacted]' },
      formatters: {
        log(object) {
          if (typeof object.msg === 'string') object.msg = scrubSecrets(object.msg);
          return object;
        },
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg)) as Parameters<
              typeof method
            >,
          );
        },
      },
      serializers: {
        err: (error: unknown) => {
          const serialized = pino.stdSerializers.err(error as Error);
          if (serialized?.message) serialized.message = scrubSecrets(serialized.message);
          if (serialized?.stack) serialized.stack = scrubSecrets(serialized.stack);
          return serialized;
        },
      },
    },
    options.destination,
  );
}
