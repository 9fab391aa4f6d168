import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJira, jiraEnv } from '../support/fakeJira.js';
import { jobsDrained } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { detailsSubmission } from '../support/openFlowPayloads.js';
import { interactiveBody, postSigned } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let harness: TestBot;
const jira = new FakeJira();

beforeAll(async () => {
  db = await createTestDatabase();
  jira.start();
  const mapping = writeMappingFile({
    jira: {
      projectKey: 'OPS',
      issueType: 'Outage',
      labels: ['ops', 'from-slack'],
      projectByCategory: { Database: 'DBA' },
      fields: {
        priority: { id: 'customfield_30001', kind: 'number' },
        environments: { id: 'customfield_30002', kind: 'labels' },
        platforms: { id: 'customfield_30003', kind: 'option' },
        businessImpact: null,
        category: { id: 'customfield_30004', kind: 'text' },
        customerTicketId: { id: 'customfield_30005', kind: 'text' },
      },
    },
  });
  harness = await startTestBot({
    DATABASE_URL: db.url,
    INCIDENT_BOT_CONFIG: mapping,
    ...jiraEnv,
  });
  harness.slack.on('users.info', () => ({ ok: false, error: 'user_not_found' }));
});
afterAll(async () => {
  await harness.stop();
  jira.stop();
  await db.drop();
});

describe('a different mapping file', () => {
  it('drives every id, kind, project and issue type: nothing is hard-coded', async () => {
    const payload = detailsSubmission(
      'V0CUSTOM',
      1,
      { business_impact: 'HT', customers_impact: 'HI' },
      { category: 'Database', platforms: ['platform-UK', 'platform-IT'], customerTicketId: 'ZD-5' },
    );
    const response = await postSigned(harness.baseUrl, interactiveBody(payload));
    expect(await response.json()).toEqual({ response_action: 'clear' });
    const incident = await db.prisma.incident.findUniqueOrThrow({ where: { declareKey: 'view:V0CUSTOM' } });
    await jobsDrained(db.prisma, ['create_jira_ticket']);

    const [create] = jira.requestsTo('POST', /^\/rest\/api\/[23]\/issue$/);
    const { fields } = create!.body as { fields: Record<string, unknown> };
    expect(fields).toEqual({
      project: { key: 'DBA' },
      issuetype: { name: 'Outage' },
      summary: 'Checkout returns HTTP 500',
      description: expect.any(String),
      labels: ['ops', 'from-slack', `incident-bot-${harness.bot.deps.installation.markerId}-${incident.id}`],
      customfield_30001: 1,
      customfield_30002: ['PRD'],
      customfield_30003: { value: 'platform-UK' },
      customfield_30004: 'Database',
      customfield_30005: 'ZD-5',
    });
    // None of the shipped default ids leak in.
    for (const id of ['customfield_11064', 'customfield_11049', 'customfield_10201', 'customfield_10936']) {
      expect(Object.keys(fields)).not.toContain(id);
    }
    // No Jira account and no fallback configured: no reporter field (Jira uses the bot).
    expect(fields.reporter).toBeUndefined();
  });
});
