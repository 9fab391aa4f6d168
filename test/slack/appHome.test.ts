import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeIncident } from '../../src/commands/changeIncident.js';
import { fixtureJson } from '../support/fixtures.js';
import { jobsDrained, runDueJobsNow } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal, reporter } from '../support/openFlowPayloads.js';
import { postSigned } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let harness: TestBot;
beforeAll(async () => {
  db = await createTestDatabase();
  harness = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: writeMappingFile({}) });
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});

async function openHome(user: string, eventId: string) {
  const base = fixtureJson<Record<string, unknown>>('slack/event_callback-app_home_opened.json');
  const body = {
    ...base,
    team_id: 'T0TEST',
    event_id: eventId,
    event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: '1.2' },
  };
  const response = await postSigned(harness.baseUrl, JSON.stringify(body), {
    contentType: 'application/json',
  });
  expect(response.status).toBe(200);
}
const publishedFor = (user: string) =>
  harness.slack.callsTo('views.publish').filter((call) => call.args.user_id === user);

describe('App Home', () => {
  it('shows the open incidents the viewer may see, and is refreshed when one changes', async () => {
    const open = await declareThroughModal(harness, db.prisma, 'V0HOMEPUB', 2, { customers_impact: 'HI' });
    await declareThroughModal(
      harness,
      db.prisma,
      'V0HOMEPRIV',
      2,
      { customers_impact: 'HI' },
      {
        category: 'Personal Data Breach',
        title: 'Secret payroll export',
      },
    );
    await jobsDrained(db.prisma, ['create_incident_channel']);

    await openHome('U0OUTSIDER', 'Ev0HOME1');
    const [outsiderHome] = await harness.slack.waitFor('views.publish');
    expect(outsiderHome!.args.user_id).toBe('U0OUTSIDER');
    const view = String(outsiderHome!.args.view);
    expect(view).toContain(`#${open.id} Checkout returns HTTP 500`);
    expect(view).toContain('commander <@U0REPORTER>');
    expect(view).not.toContain('Secret payroll export');

    await openHome(reporter.id, 'Ev0HOME2');
    await harness.slack.waitFor('views.publish', 2);
    expect(String(publishedFor(reporter.id)[0]!.args.view)).toContain('Secret payroll export');

    const before = publishedFor('U0OUTSIDER').length;
    await changeIncident({
      prisma: db.prisma,
      reference: harness.bot.deps.reference,
      productionEnvironments: ['PRD'],
      incidentId: open.id,
      author: reporter.id,
      origin: 'slack',
      change: { title: 'Checkout fails for every card' },
    });
    // The refresh waits a moment to collapse bursts; the test does not wait it out.
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, ['refresh_app_homes']);
    const after = publishedFor('U0OUTSIDER');
    expect(after.length).toBe(before + 1);
    expect(String(after.at(-1)!.args.view)).toContain('Checkout fails for every card');
  });
});
