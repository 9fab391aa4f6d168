import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JiraWithWorkflow } from '../support/fakeJiraSync.js';
import { FakeSlack } from '../support/fakeSlack.js';
import { jobsDrained } from '../support/jobs.js';
import { postJiraWebhook } from '../support/jiraWebhooks.js';
import { addPeople, channelPosts, declareSynced, startSyncBot, syncTasks } from '../support/syncHarness.js';
import type { TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { submitUpdate } from '../support/updatePayloads.js';

/**
 * Two bot processes on one database (as two replicas behind a load balancer): Slack and Jira
 * may reach either. No correctness lives in memory, so they behave as one.
 */
let db: TestDatabase;
let first: TestBot;
let second: TestBot;
const slack = new FakeSlack();
const jira = new JiraWithWorkflow();

beforeAll(async () => {
  db = await createTestDatabase();
  await slack.start();
  jira.start();
  addPeople(jira);
  first = await startSyncBot(db, {}, { slack });
  second = await startSyncBot(db, {}, { slack });
});
afterAll(async () => {
  await second.bot.stop();
  await first.bot.stop();
  await slack.stop();
  jira.stop();
  await db.drop();
});
beforeEach(async () => {
  await jobsDrained(db.prisma, syncTasks);
  jira.reset();
  slack.reset();
});

/** Send one webhook to both processes at once, twice each (Jira retrying a slow answer). */
async function deliverToBoth(webhook: { id: string; body: Record<string, unknown> }) {
  const answers = await Promise.all(
    [first, second, first, second].map((bot) =>
      postJiraWebhook(bot.baseUrl, webhook.body, { id: webhook.id }),
    ),
  );
  return answers.map((answer) => answer.status).sort();
}

describe('two bot processes sharing one database', () => {
  it('a Jira change delivered to both, twice: recorded once, applied once, said once', async () => {
    const { incident, ticket } = await declareSynced(first, db, 'V0TWO1', 2, { customers_impact: 'HI' });
    const channel = (await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } }))
      .channelId;
    const statuses = await deliverToBoth(
      jira.humanChange(ticket.key, { summary: 'Renamed in Jira, seen by both' }),
    );
    expect(statuses).toEqual([200, 200, 200, 202]);
    await jobsDrained(db.prisma, syncTasks);
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).title).toBe(
      'Renamed in Jira, seen by both',
    );
    expect(await db.prisma.incidentUpdate.count({ where: { incidentId: incident.id, source: 'JIRA' } })).toBe(
      1,
    );
    expect(channelPosts(first, channel, 'from Jira by Jane Human')).toHaveLength(1);
  });

  it('a Slack change through one, its Jira echoes delivered to the other (and duplicated): one path walked, nothing applied back', async () => {
    const { incident, ticket } = await declareSynced(second, db, 'V0TWO2', 2, { customers_impact: 'HI' });
    jira.webhooks.length = 0;
    const writes = jira.writes;
    const answer = await submitUpdate(first, db.prisma, incident.id, {
      status: 'INVESTIGATING',
      priority: 1,
    });
    expect(answer.response_action).toBe('clear');
    await jobsDrained(db.prisma, syncTasks);
    expect(jira.status(ticket.key)).toBe('in progress');
    expect(jira.writes - writes).toBe(3); // priority edit + two transitions
    for (const webhook of jira.webhooks.splice(0)) await deliverToBoth(webhook);
    await jobsDrained(db.prisma, syncTasks);
    expect(jira.writes - writes).toBe(3);
    expect(await db.prisma.incidentUpdate.count({ where: { incidentId: incident.id, source: 'JIRA' } })).toBe(
      0,
    );
    const row = await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(row).toMatchObject({ status: 'INVESTIGATING', priorityId: 1 });
  });

  it('a Slack edit on one and a Jira edit on the other at the same time: both land, on both sides', async () => {
    const { incident, ticket } = await declareSynced(first, db, 'V0TWO3', 3, { customers_impact: 'LO' });
    const webhook = jira.humanChange(ticket.key, { description: 'Described in Jira at the same moment' });
    /** A responder whose form went stale (the Jira change landed first) saves it again. */
    const retitle = async () => {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const answer = await submitUpdate(first, db.prisma, incident.id, {
          title: 'Retitled in Slack at the same moment',
        });
        if (answer.response_action === 'clear') return;
      }
      throw new Error('the Slack edit was never accepted');
    };
    await Promise.all([retitle(), postJiraWebhook(second.baseUrl, webhook.body, { id: webhook.id })]);
    await jobsDrained(db.prisma, syncTasks);
    const row = await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(row.description).toBe('Described in Jira at the same moment');
    expect(row.title).toBe('Retitled in Slack at the same moment');
    expect(jira.snapshot(ticket.key).fields.summary).toBe('Retitled in Slack at the same moment');
  });
});
