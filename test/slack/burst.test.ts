import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeIncident } from '../../src/commands/changeIncident.js';
import { jobsDrained, runDueJobsNow } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal, reporter } from '../support/openFlowPayloads.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let harness: TestBot;
beforeAll(async () => {
  db = await createTestDatabase();
  harness = await startTestBot({
    DATABASE_URL: db.url,
    INCIDENT_BOT_CONFIG: writeMappingFile({}),
    EFFECTS_DEBOUNCE_MS: '60000', // the burst window, longer than the test: it is ended by hand
  });
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});

describe('a burst of edits', () => {
  it('edits the pinned announcement once, with the last state', async () => {
    const incident = await declareThroughModal(harness, db.prisma, 'V0BURST', 2, { customers_impact: 'HI' });
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const announcement = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, type: 'announcement' },
    });
    harness.slack.reset();
    for (let n = 1; n <= 8; n += 1) {
      const result = await changeIncident({
        prisma: db.prisma,
        reference: harness.bot.deps.reference,
        productionEnvironments: ['PRD'],
        messagesDelayMs: 60_000,
        incidentId: incident.id,
        author: reporter.id,
        origin: 'slack',
        change: { title: `Checkout failing, attempt number ${n}` },
      });
      expect(result.ok).toBe(true);
    }
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, ['refresh_incident_messages', 'post_incident_update']);
    const edits = harness.slack.callsTo('chat.update').filter((call) => call.args.ts === announcement.ts);
    expect(edits).toHaveLength(1);
    expect(String(edits[0]!.args.blocks)).toContain('attempt number 8');
    expect(harness.slack.callsTo('conversations.setTopic')).toHaveLength(1);
    // Each change is still said in the channel, once each.
    const said = harness.slack
      .callsTo('chat.postMessage')
      .filter((call) => String(call.args.text).startsWith('*Title:*'));
    expect(said).toHaveLength(8);
  });
});

describe('concurrent changes', () => {
  it('two changes racing from the same state: one wins, the other is refused, never both applied', async () => {
    const incident = await declareThroughModal(harness, db.prisma, 'V0RACE', 2, { customers_impact: 'HI' });
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const seen = await db.prisma.incidentUpdate.count({ where: { incidentId: incident.id } });
    const attempt = (status: 'INVESTIGATING' | 'CLOSED') =>
      changeIncident({
        prisma: db.prisma,
        reference: harness.bot.deps.reference,
        productionEnvironments: ['PRD'],
        incidentId: incident.id,
        author: reporter.id,
        origin: 'slack',
        seenUpdateCount: seen,
        change: status === 'CLOSED' ? { status, closureReason: 'DUPLICATE', message: 'dup' } : { status },
      }).then(
        () => 'applied',
        (error: { code?: string }) => error.code,
      );
    const outcomes = await Promise.all([attempt('INVESTIGATING'), attempt('CLOSED')]);
    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'INCIDENT_CHANGED')).toHaveLength(1);
    const rows = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: 'STATUS_CHANGED' },
    });
    expect(rows).toBe(1);
  });
});
