import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsDrained } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal } from '../support/openFlowPayloads.js';
import { interactiveBody, postSigned, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { impactsSubmission } from '../support/openFlowPayloads.js';

let db: TestDatabase;
let harness: TestBot;
beforeAll(async () => {
  db = await createTestDatabase();
  const mapping = writeMappingFile({
    slack: { incidentsChannelId: 'C0INCIDENTS' },
    catalog: { productionEnvironments: ['STG'] },
    vocabulary: {
      priorities: { P2: { emoji: '🔥', description: 'Customers are hurting' } },
      impactTypes: [
        { slug: 'customers_impact', name: 'Shoppers', emoji: '🛒' },
        { slug: 'business_impact', name: 'Revenue', emoji: '💶' },
      ],
      impactLevels: { HI: 'Severe' },
    },
  });
  harness = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping });
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});

describe('the words responders read come from the mapping file', () => {
  it('impact types, level names and priority words in the form, and in the announcement', async () => {
    await postSigned(harness.baseUrl, slashCommandBody({ text: 'open', trigger_id: 'trigger-vocab' }));
    const [open] = await harness.slack.waitFor('views.open');
    const view = String(open!.args.view);
    expect(view).toContain('🛒 Shoppers');
    expect(view).toContain('💶 Revenue');
    expect(view).not.toContain('Sellers impact');
    expect(view).toContain('Severe (HI)');

    const step = await postSigned(
      harness.baseUrl,
      interactiveBody(impactsSubmission({ customers_impact: 'HI' })),
    );
    expect(JSON.stringify(await step.json())).toContain('Priority: 🔥 P2* — Customers are hurting');

    // Production is STG here: a P2 in STG is announced in the incidents channel.
    const incident = await declareThroughModal(
      harness,
      db.prisma,
      'V0VOCAB',
      2,
      { customers_impact: 'HI' },
      {
        environments: ['STG'],
      },
    );
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const posts = harness.slack.callsTo('chat.postMessage');
    const announcement = posts.find((call) => String(call.args.text).includes(`incident #${incident.id}`));
    expect(String(announcement!.args.blocks)).toContain('🔥 P2 — Customers are hurting');
    expect(posts.map((call) => call.args.channel)).toContain('C0INCIDENTS');
  });
});
