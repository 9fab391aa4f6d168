import { enqueueJob } from '../../src/jobs/enqueue.js';
import { jiraEnv } from './fakeJira.js';
import type { FakeSlack } from './fakeSlack.js';
import { JANE, JiraWithWorkflow, KIM } from './fakeJiraSync.js';
import { jobsDrained } from './jobs.js';
import { deliver, WEBHOOK_SECRET } from './jiraWebhooks.js';
import { writeMappingFile } from './mappingFile.js';
import { declareThroughModal, type Details } from './openFlowPayloads.js';
import { startTestBot, type TestBot } from './testBot.js';
import { createTestDatabase, type TestDatabase } from './testDatabase.js';

/** Every task an incident's life and its sync go through (App Home refresh aside: it waits 2 s). */
export const syncTasks = [
  'create_incident_channel',
  'notify_normal_incident',
  'create_jira_ticket',
  'add_jira_watcher',
  'add_jira_remote_links',
  'link_jira_in_slack',
  'refresh_incident_messages',
  'post_incident_update',
  'welcome_role_holder',
  'archive_incident_channel',
  'sync_jira_ticket',
  'apply_jira_delivery',
  'post_sync_notice',
  'reconcile_jira_sync',
  'create_postmortem',
  'finish_postmortem',
  'refresh_postmortem_timeline',
];

/** People on both sides: the reporter (commander) and Jane, linked by their emails. */
export function addPeople(jira: JiraWithWorkflow): void {
  jira.users.push(
    { accountId: '5c0000000000000000000001', emailAddress: 'user@example.com', displayName: 'Sample User' },
    { accountId: JANE.accountId, emailAddress: 'jane@example.com', displayName: JANE.displayName },
    { accountId: KIM.accountId, emailAddress: 'kim@example.com', displayName: KIM.displayName },
  );
}

const emails: Record<string, string> = {
  U0REPORTER: 'user@example.com',
  U0JANE: 'jane@example.com',
  U0KIM: 'kim@example.com',
};

/** A bot on the given database, wired to the workflow Jira, with the webhook secret set. */
export async function startSyncBot(
  db: TestDatabase,
  env: NodeJS.ProcessEnv = {},
  options: { slack?: FakeSlack } = {},
): Promise<TestBot> {
  const mapping = writeMappingFile({ slack: { alertChannelId: 'C0ALERTS' } });
  const harness = await startTestBot(
    {
      DATABASE_URL: db.url,
      INCIDENT_BOT_CONFIG: mapping,
      ...jiraEnv,
      JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...env,
    },
    options,
  );
  answerPeople(harness.slack);
  return harness;
}

/** The fake Slack knows the people (emails, for the Jira account match) and channels' team. */
export function answerPeople(slack: FakeSlack): void {
  slack.on('users.info', (args) => ({
    ok: true,
    user: { id: args.user, profile: { email: emails[String(args.user)] ?? 'nobody@example.com' } },
  }));
  slack.on('users.lookupByEmail', (args) => {
    const id = Object.entries(emails).find(([, email]) => email === args.email)?.[0];
    return id ? { ok: true, user: { id } } : { ok: false, error: 'users_not_found' };
  });
  slack.on('conversations.info', (args) => ({
    ok: true,
    channel: { id: args.channel, context_team_id: 'T0TEST' },
  }));
}

/** Declare through the modal and let every job (ticket, channel, first sync) finish. */
export async function declareSynced(
  harness: TestBot,
  db: TestDatabase,
  viewId: string,
  priority: number,
  impacts: Record<string, string>,
  details: Details = {},
) {
  const incident = await declareThroughModal(harness, db.prisma, viewId, priority, impacts, details);
  await jobsDrained(db.prisma, syncTasks);
  const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
  return { incident, ticket };
}

/** Deliver every webhook Jira queued so far (in order), then let their jobs finish. */
export async function deliverAll(harness: TestBot, db: TestDatabase, jira: JiraWithWorkflow): Promise<void> {
  const pending = jira.webhooks.splice(0);
  for (const webhook of pending) await deliver(harness.baseUrl, webhook);
  await jobsDrained(db.prisma, syncTasks);
}

/** Run the reconcile pass now (what the cron does every interval) and let its jobs finish. */
export async function reconcileNow(db: TestDatabase): Promise<void> {
  await enqueueJob(db.prisma, 'reconcile_jira_sync', {});
  await jobsDrained(db.prisma, syncTasks);
}

/** The channel messages posted in this incident's channel that mention a text. */
export function channelPosts(harness: TestBot, channelId: string, includes: string) {
  return harness.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.args.channel === channelId && String(call.args.text).includes(includes));
}

/** A test file's own database, with the workflow Jira started and a sync bot on it. */
export async function openSyncHarness(
  jira: JiraWithWorkflow,
  env: NodeJS.ProcessEnv = {},
): Promise<{ db: TestDatabase; harness: TestBot }> {
  const db = await createTestDatabase();
  jira.start();
  addPeople(jira);
  return { db, harness: await startSyncBot(db, env) };
}

/** Undo openSyncHarness: bot, Jira interception, database. */
export async function closeSyncHarness(
  db: TestDatabase,
  harness: TestBot,
  jira: JiraWithWorkflow,
): Promise<void> {
  await harness.stop();
  jira.stop();
  await db.drop();
}
