import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobsDrained } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { keyEventsSubmission } from '../support/updatePayloads.js';
import { declareThroughModal, messageBlockAction, reporter } from '../support/openFlowPayloads.js';
import { interactiveBody, postSigned, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const slackTasks = ['create_incident_channel', 'refresh_incident_messages', 'post_incident_update'];
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
beforeEach(async () => {
  await jobsDrained(db.prisma, slackTasks);
  harness.slack.reset();
});

const minutesAgo = (minutes: number) => Math.floor(Date.now() / 1000) - minutes * 60;

/** A click on the channel message's "key events" button; its answer goes to `responsePath`. */
const keyEventsClick = (channelId: string, responsePath: string, incidentId: number) =>
  messageBlockAction(channelId, `${harness.slack.url}/${responsePath}`, {
    type: 'button',
    action_id: 'open_key_events',
    block_id: 'b',
    value: String(incidentId),
  });

/** A change made by the reporter through the one change path, as the Slack forms make it. */
const reporterChange = async (
  incidentId: number,
  change: Parameters<typeof import('../../src/commands/changeIncident.js').changeIncident>[0]['change'],
) => {
  const { changeIncident } = await import('../../src/commands/changeIncident.js');
  return changeIncident({
    prisma: db.prisma,
    reference: harness.bot.deps.reference,
    productionEnvironments: ['PRD'],
    incidentId,
    author: reporter.id,
    origin: 'slack',
    change,
  });
};

describe('key events', () => {
  it('reaching Mitigated with events missing offers the form; order is checked; metrics show in the recap', async () => {
    const incident = await declareThroughModal(harness, db.prisma, 'V0KEYS', 2, { customers_impact: 'HI' });
    await jobsDrained(db.prisma, slackTasks);
    for (const status of ['INVESTIGATING', 'MITIGATING', 'MITIGATED'] as const) {
      expect(await reporterChange(incident.id, { status })).toMatchObject({ ok: true });
    }
    await jobsDrained(db.prisma, slackTasks);
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const mitigated = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => String(call.args.text).includes('→ Mitigated'));
    expect(mitigated!.args.channel).toBe(channel.channelId);
    expect(String(mitigated!.args.blocks)).toContain('Still missing: started, detected.');
    expect(String(mitigated!.args.blocks)).toContain('"action_id":"open_key_events"');

    // The button opens the form with date-time pickers.
    await postSigned(
      harness.baseUrl,
      interactiveBody(keyEventsClick(channel.channelId, 'response/keys', incident.id)),
    );
    const [open] = await harness.slack.waitFor('views.open');
    expect(String(open!.args.view)).toContain('"callback_id":"key_events"');
    expect(String(open!.args.view)).toContain('"type":"datetimepicker"');

    const updates = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: { notIn: ['KEY_EVENT', 'NOTE'] } },
    });
    const submit = async (times: Record<string, number>) => {
      const response = await postSigned(
        harness.baseUrl,
        interactiveBody(keyEventsSubmission(incident.id, updates, times)),
      );
      const raw = await response.text();
      return raw ? (JSON.parse(raw) as { response_action?: string; errors?: Record<string, string> }) : {};
    };
    expect(await submit({ STARTED: minutesAgo(20), DETECTED: minutesAgo(30) })).toEqual({
      response_action: 'errors',
      errors: { 'keyEvent:DETECTED': 'Detected cannot be before started.' },
    });
    expect((await submit({ STARTED: minutesAgo(-30) })).errors).toMatchObject({
      'keyEvent:STARTED': 'Started cannot be in the future.',
    });
    expect(await submit({ STARTED: minutesAgo(30), DETECTED: minutesAgo(25) })).toEqual({});
    const events = await db.prisma.keyEvent.findMany({ where: { incidentId: incident.id } });
    expect(events.map((event) => event.type).sort()).toEqual([
      'DECLARED',
      'DETECTED',
      'RECOVERED',
      'STARTED',
    ]);
    expect(
      await db.prisma.incidentUpdate.count({ where: { incidentId: incident.id, eventType: 'KEY_EVENT' } }),
    ).toBe(2);

    const recap = await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'status', channel_id: channel.channelId }),
    );
    expect(JSON.stringify(await recap.json())).toMatch(/TTD 5 min/);
  });

  it('two people with the form open: saving one event does not put back another the other person set meanwhile', async () => {
    const incident = await declareThroughModal(harness, db.prisma, 'V0KEYRACE', 2, {
      customers_impact: 'HI',
    });
    await jobsDrained(db.prisma, slackTasks);
    // One clock for the whole test: the form shows whole seconds, and a second passing between
    // two minutesAgo() calls would read as a change.
    const now = minutesAgo(0);
    const ago = (minutes: number) => now - minutes * 60;
    await reporterChange(incident.id, { keyEvents: { STARTED: new Date(ago(30) * 1000) } });
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    /** Open the form as the bot does, and keep what it was opened with. */
    const openForm = async (who: string) => {
      harness.slack.reset();
      // Each click its own response_url: two identical signed bodies would be refused as a replay.
      const click = keyEventsClick(channel.channelId, `response/race-${who}`, incident.id);
      await postSigned(harness.baseUrl, interactiveBody(click));
      const [open] = await harness.slack.waitFor('views.open');
      return (JSON.parse(String(open!.args.view)) as { private_metadata: string }).private_metadata;
    };
    const formA = await openForm('a'); // shows Started 30 min ago
    const formB = await openForm('b');
    const updates = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: { notIn: ['KEY_EVENT', 'NOTE'] } },
    });
    const save = (metadata: string, times: Record<string, number>) =>
      postSigned(
        harness.baseUrl,
        interactiveBody(keyEventsSubmission(incident.id, updates, times, metadata)),
      );

    // B corrects Started; then A, whose form still shows the old Started, sets Detected.
    await save(formB, { STARTED: ago(40) });
    await save(formA, { STARTED: ago(30), DETECTED: ago(20) });
    const events = await db.prisma.keyEvent.findMany({ where: { incidentId: incident.id } });
    const at = (type: string) => events.find((event) => event.type === type)?.occurredAt.getTime();
    expect(at('STARTED')).toBe(ago(40) * 1000);
    expect(at('DETECTED')).toBe(ago(20) * 1000);
  });
});
