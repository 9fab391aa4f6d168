import type { WebClient } from '@slack/web-api';
import type { AppConfig } from './config/index.js';
import type { PrismaClient } from './db/prisma.js';
import type { ReferenceData } from './db/repositories/referenceData.js';
import type { JiraGateway } from './jira/gateway.js';
import type { Logger } from './logger.js';
import type { PostMortemTemplates } from './postmortem/templates.js';

/** What use cases, listeners and jobs are handed: built once in src/bot.ts. */
export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  prisma: PrismaClient;
  /** Reference row ids, read once at start (after seeding). */
  reference: ReferenceData;
  /** Bot-token Web API client (Bolt's own). */
  slack: WebClient;
  /** This installation's identity (namespaces the markers it leaves in Jira). */
  installation: { markerId: string };
  /** Undefined when Jira is not configured: ticket jobs then wait and say so. */
  jira: JiraGateway | undefined;
  /** The post-mortem templates, checked at start. */
  postMortemTemplates: PostMortemTemplates;
}
