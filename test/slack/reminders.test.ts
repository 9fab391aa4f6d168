import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import { jobsDrained, settleJobs } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal } from '../support/openFlowPayloads.js';
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

/** Monday 30 Nov 2026, 09:00 in Paris (the default office hours' time zone). */
const MONDAY_9AM_PARIS = Date.parse('2026-11-30T08:00:00Z');
const at = (minutesAfter: number) => new Date(MONDAY_9AM_PARIS + minutesAfter * 60_000).toISOString();

/** Run the reminder scan as the cron would, at a chosen time, and let its reminders go out. */
async function scanAt(iso: string) {
  await enqueueJob(db.prisma, 'scan_reminders', { at: iso });
  await jobsDrained(db.prisma, ['scan_reminders', 'send_reminder']);
}
const reminders = (channelId: string) =>
  harness.slack
    .callsTo('chat.postMessage')
    .filter(
      (call) => call.args.channel === channelId && String(call.args.text).includes('Reminder to update'),
    );

/** A P2 with its channel, declared (its last update) at 09:00 Paris on Monday. */
async function declaredAtMonday9am(viewId: string) {
  const incident = await declareThroughModal(harness, db.prisma, viewId, 2, { customers_impact: 'HI' });
  await jobsDrained(db.prisma, ['create_incident_channel']);
  await db.prisma.incidentUpdate.updateMany({
    where: { incidentId: incident.id },
    data: { eventTs: new Date(MONDAY_9AM_PARIS) },
  });
  const { channelId } = await db.prisma.slackChannel.findUniqueOrThrow({
    where: { incidentId: incident.id },
  });
  return { incident, channelId };
}

describe('update reminders', () => {
  it('after the priority interval, repeated with back-off, once per window, in office hours only, until updated', async () => {
    const { incident, channelId } = await declaredAtMonday9am('V0REMIND');

    await scanAt(at(59));
    expect(reminders(channelId)).toHaveLength(0);
    await scanAt(at(61));
    expect(reminders(channelId)).toHaveLength(1);
    expect(String(reminders(channelId)[0]!.args.blocks)).toContain('"action_id":"open_update_modal"');
    // The same window scanned again (a late cron tick, a restart): nothing more.
    await scanAt(at(61));
    await scanAt(at(120));
    expect(reminders(channelId)).toHaveLength(1);
    // Back-off: the second 2 h after the first, the third 4 h after the second (16:01, in office hours)…
    await scanAt(at(61 + 119));
    expect(reminders(channelId)).toHaveLength(1);
    await scanAt(at(61 + 120));
    expect(reminders(channelId)).toHaveLength(2);
    // …but at 18:30 Paris it is outside office hours: it waits for Tuesday 09:00, and only it goes.
    await scanAt(at(9 * 60 + 30));
    expect(reminders(channelId)).toHaveLength(2);
    await scanAt(at(24 * 60));
    expect(reminders(channelId)).toHaveLength(3);
    await scanAt(at(24 * 60 + 1));
    expect(reminders(channelId)).toHaveLength(3);

    // Someone updates it: the clock starts again from that update, and a closed-out status stops them.
    await db.prisma.incident.update({ where: { id: incident.id }, data: { status: 'POST_MORTEM' } });
    await scanAt(at(3 * 24 * 60));
    expect(reminders(channelId)).toHaveLength(3);
  });
});

describe('a reminder is posted once', () => {
  it('whose answer was lost: the retry finds it in the channel and records it, posting nothing more', async () => {
    const { incident, channelId } = await declaredAtMonday9am('V0REMINDLOST');
    harness.slack.loseResponses('chat.postMessage', 1, (args) =>
      String(args.text).includes('Reminder to update'),
    );

    await enqueueJob(db.prisma, 'scan_reminders', { at: at(61) });
    await settleJobs(db.prisma, ['scan_reminders', 'send_reminder']);

    const inChannel = harness.slack.history.get(channelId)!;
    expect(inChannel.filter((message) => String(message.text).includes('Reminder to update'))).toHaveLength(
      1,
    );
    expect(
      await db.prisma.slackMessage.count({ where: { incidentId: incident.id, type: 'update_reminder' } }),
    ).toBe(1);
    // The next scan of the same window sees it recorded: still one.
    await scanAt(at(62));
    expect(reminders(channelId)).toHaveLength(1);
  });
});
