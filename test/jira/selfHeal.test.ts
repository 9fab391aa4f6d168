import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJira, jiraEnv } from '../support/fakeJira.js';
import { jobAwaitingRetry, jobsDrained, pendingJobs } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal } from '../support/openFlowPayloads.js';
import { startTestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
const jira = new FakeJira();
beforeAll(async () => {
  db = await createTestDatabase();
  jira.start();
});
afterAll(async () => {
  jira.stop();
  await db.drop();
});

describe('Jira configured after incidents were opened', () => {
  it('says the ticket will come, and creates it once Jira is configured and the bot restarts', async () => {
    const mapping = writeMappingFile({ slack: { alertChannelId: 'C0ALERTS' } });
    const withoutJira = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping });
    let incidentId: number;
    try {
      const incident = await declareThroughModal(
        withoutJira,
        db.prisma,
        'V0LATEJIRA',
        4,
        { business_impact: 'LO' },
        { featureTeam: 'Platform' },
      );
      incidentId = incident.id;
      await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-ticket`);
      await jobsDrained(db.prisma, ['notify_normal_incident']);
      const notice = await db.prisma.slackMessage.findFirstOrThrow({
        where: { incidentId, type: 'jira_delay_notice' },
      });
      expect(notice.channelId).toBe('D0REPORTER');
      const posted = withoutJira.slack
        .callsTo('chat.postMessage')
        .find((call) => String(call.args.text).includes('Jira is not configured yet'));
      expect(String(posted!.args.text)).toContain('ticket will be created automatically');
    } finally {
      await withoutJira.stop();
    }
    // The retries ran out while Jira was missing: no job is left.
    await db.prisma.$executeRaw`delete from graphile_worker._private_jobs`;

    const withJira = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping, ...jiraEnv });
    try {
      await jobsDrained(db.prisma, [
        'create_jira_ticket',
        'link_jira_in_slack',
        'add_jira_watcher',
        'add_jira_remote_links',
      ]);
      const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId } });
      expect(jira.requestsTo('POST', /^\/rest\/api\/[23]\/issue$/)).toHaveLength(1);
      const notice = await db.prisma.slackMessage.findFirstOrThrow({
        where: { incidentId, type: 'jira_delay_notice' },
      });
      const edit = withJira.slack.callsTo('chat.update').find((call) => call.args.ts === notice.ts);
      expect(String(edit!.args.text)).toBe(
        `:white_check_mark: Jira ticket created: <${ticket.url}|${ticket.key}>`,
      );
    } finally {
      await withJira.stop();
    }
  });
});

describe('self-heal at start', () => {
  it('leaves a ticket job that is already failing as it is: no reset of its attempts or back-off', async () => {
    const mapping = writeMappingFile({ slack: { alertChannelId: 'C0ALERTS' } });
    jira.reset();
    jira.failAlways('create', { status: 503, body: { errorMessages: ['Service Unavailable'] } });
    const first = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping, ...jiraEnv });
    let key: string;
    try {
      const incident = await declareThroughModal(
        first,
        db.prisma,
        'V0FAILING',
        4,
        { business_impact: 'LO' },
        {
          featureTeam: 'Platform',
        },
      );
      key = `incident:${incident.id}:jira-ticket`;
      await jobAwaitingRetry(db.prisma, key);
    } finally {
      await first.stop();
    }
    // Its back-off is seconds long: a slow start of the second bot would see it due and run it
    // (attempts 2). An hour ahead, only a reset at start could move it.
    await db.prisma
      .$executeRaw`update graphile_worker._private_jobs set run_at = now() + interval '1 hour' where key = ${key}`;
    const before = await pendingJobs(db.prisma, key);
    const second = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping, ...jiraEnv });
    try {
      const after = await pendingJobs(db.prisma, key);
      expect(after).toEqual(before);
      expect(after[0]).toMatchObject({ attempts: 1 });
    } finally {
      await second.stop();
      jira.reset();
    }
  });
});
