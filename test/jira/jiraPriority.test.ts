import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredBotScopes } from '../../src/slack/scopes.js';
import { FakeJira, jiraEnv } from '../support/fakeJira.js';
import { jobsDrained } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { detailsSubmission } from '../support/openFlowPayloads.js';
import { interactiveBody, postSigned, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

// Jira's own Priority field as the target of the priority mapping, instead of a custom select.
let db: TestDatabase;
let harness: TestBot;
const jira = new FakeJira();

beforeAll(async () => {
  db = await createTestDatabase();
  jira.priorities.splice(0, jira.priorities.length, 'Blocker', 'Critical', 'Major', 'Minor', 'Trivial');
  jira.start();
  harness = await startTestBot({
    DATABASE_URL: db.url,
    INCIDENT_BOT_CONFIG: writeMappingFile({
      slack: { admins: ['U0ADMIN'] },
      jira: {
        fields: { priority: { id: 'priority', kind: 'jiraPriority' } },
        priorityToJira: { P1: 'Blocker', P2: 'Critical', P3: 'Major', P4: 'Minor', P5: 'Trivial' },
      },
    }),
    ...jiraEnv,
  });
  harness.slack.on('users.info', () => ({ ok: false, error: 'user_not_found' }));
  harness.slack.on('auth.test', () => ({
    body: { ok: true, user_id: 'UBOT', user: 'incident-bot', team: 'Example' },
    headers: { 'x-oauth-scopes': requiredBotScopes.join(',') },
  }));
});
afterAll(async () => {
  await harness.stop();
  jira.stop();
  await db.drop();
});

async function doctor(): Promise<string> {
  harness.slack.reset();
  await postSigned(
    harness.baseUrl,
    slashCommandBody({
      text: 'doctor',
      user_id: 'U0ADMIN',
      response_url: `${harness.slack.url}/response/doctor`,
    }),
  );
  const [reply] = await harness.slack.waitFor('response/doctor');
  return String(reply!.args.text);
}

describe('jira.fields.priority of kind jiraPriority', () => {
  it('creates the ticket with Jira priority { name } from priorityToJira, not a custom field', async () => {
    const payload = detailsSubmission('V0JIRAPRIO', 1, { business_impact: 'HT', customers_impact: 'HI' });
    const response = await postSigned(harness.baseUrl, interactiveBody(payload));
    expect(await response.json()).toEqual({ response_action: 'clear' });
    await jobsDrained(db.prisma, ['create_jira_ticket']);

    const [create] = jira.requestsTo('POST', /^\/rest\/api\/[23]\/issue$/);
    const { fields } = create!.body as { fields: Record<string, unknown> };
    expect(fields.priority).toEqual({ name: 'Blocker' });
    expect(Object.keys(fields)).not.toContain('customfield_11064');
  });

  it('is checked by the doctor against the site priorities (GET /rest/api/3/priority)', async () => {
    const good = await doctor();
    expect(good).toMatch(/PASS {2}Jira priorities +Blocker, Critical, Major, Minor, Trivial found/);
    expect(jira.requestsTo('GET', '/rest/api/3/priority')).not.toHaveLength(0);

    jira.priorities.splice(jira.priorities.indexOf('Trivial'), 1);
    const bad = await doctor();
    expect(bad).toMatch(
      /FAIL {2}Jira priorities +not priorities of this site: Trivial \(fix jira.priorityToJira\)/,
    );
  });
});
