import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { jobsDrained } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal, type Details } from '../support/openFlowPayloads.js';
import { postSigned, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { submitUpdate as submitForm, type UpdateForm } from '../support/updatePayloads.js';

const slackTasks = [
  'create_incident_channel',
  'notify_normal_incident',
  'refresh_incident_messages',
  'post_incident_update',
  'welcome_role_holder',
];

let db: TestDatabase;
let harness: TestBot;
beforeAll(async () => {
  db = await createTestDatabase();
  const mapping = writeMappingFile({ slack: { alertChannelId: 'C0ALERTS' } });
  harness = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping });
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});
beforeEach(async () => {
  await jobsDrained(db.prisma, slackTasks);
  harness.slack.reset();
});

const declare = async (
  viewId: string,
  priority: number,
  impacts: Record<string, string>,
  details: Details = {},
) => {
  const incident = await declareThroughModal(harness, db.prisma, viewId, priority, impacts, details);
  await jobsDrained(db.prisma, slackTasks);
  return incident;
};

async function submitUpdate(incidentId: number, changes: Partial<UpdateForm>, seen?: number) {
  const { httpStatus, ...answer } = await submitForm(harness, db.prisma, incidentId, changes, { seen });
  expect(httpStatus).toBe(200);
  return answer;
}

describe('/incident update', () => {
  it('in the incident channel: opens the modal with only the allowed statuses, the current one preselected', async () => {
    const incident = await declare('V0UPDOPEN', 2, { customers_impact: 'HI' });
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'update', channel_id: channel.channelId, trigger_id: 'trigger-update' }),
    );
    const [open] = await harness.slack.waitFor('views.open');
    expect(open!.args.trigger_id).toBe('trigger-update');
    const view = JSON.parse(String(open!.args.view)) as {
      callback_id: string;
      blocks: {
        block_id: string;
        element: { options?: { value: string }[]; initial_option?: { value: string } };
      }[];
    };
    expect(view.callback_id).toBe('update_incident');
    const status = view.blocks.find((block) => block.block_id === 'status')!.element;
    expect(status.options!.map((item) => item.value)).toEqual(['OPEN', 'INVESTIGATING', 'CLOSED']);
    expect(status.initial_option!.value).toBe('OPEN');
  });

  it('a status change: one history row, the announcement edited in place, a message in the channel, the topic', async () => {
    const incident = await declare('V0UPDSTATUS', 2, { customers_impact: 'HI' });
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const announcement = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, type: 'announcement' },
    });
    expect(
      await submitUpdate(incident.id, {
        status: 'INVESTIGATING',
        message: 'Rolling back <!channel> deploy 42',
      }),
    ).toEqual({
      response_action: 'clear',
    });
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'INVESTIGATING',
    );
    const rows = await db.prisma.incidentUpdate.findMany({
      where: { incidentId: incident.id, eventType: 'STATUS_CHANGED' },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      field: 'status',
      fromValue: 'Open',
      toValue: 'Investigating',
      source: 'SLACK',
    });

    await jobsDrained(db.prisma, slackTasks);
    const edit = harness.slack.callsTo('chat.update').find((call) => call.args.ts === announcement.ts);
    expect(String(edit!.args.blocks)).toContain('Investigating');
    const said = harness.slack
      .callsTo('chat.postMessage')
      .find(
        (call) => call.args.channel === channel.channelId && String(call.args.text).startsWith('*Status:*'),
      );
    expect(String(said!.args.text)).toBe(
      '*Status:* Open → Investigating — Rolling back &lt;!channel&gt; deploy 42 — by <@U0REPORTER>',
    );
    const topic = harness.slack.callsTo('conversations.setTopic').at(-1);
    expect(String(topic!.args.topic)).toContain(' - Investigating - ');
  });

  it('a move the status machine refuses is a field error, and nothing changes', async () => {
    const incident = await declare('V0UPDREFUSED', 2, { customers_impact: 'HI' });
    await submitUpdate(incident.id, { status: 'INVESTIGATING' });
    const body = await submitUpdate(incident.id, { status: 'MITIGATED' });
    expect(body.response_action).toBe('errors');
    expect(body.errors!.status).toContain('cannot go from Investigating to Mitigated');
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'INVESTIGATING',
    );
  });

  it('reopening from Mitigated needs a justification; reaching Mitigated records recovered once', async () => {
    const incident = await declare('V0UPDREOPEN', 3, { customers_impact: 'MD' });
    for (const status of ['INVESTIGATING', 'MITIGATING', 'MITIGATED'])
      await submitUpdate(incident.id, { status });
    const mitigated = await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(mitigated.mitigatedAt).not.toBeNull();
    expect(await db.prisma.keyEvent.count({ where: { incidentId: incident.id, type: 'RECOVERED' } })).toBe(1);
    const refused = await submitUpdate(incident.id, { status: 'INVESTIGATING', message: 'again' });
    expect(refused.errors!.message).toContain('minimum 10 characters');
    expect(
      await submitUpdate(incident.id, { status: 'INVESTIGATING', message: 'Errors are back since 14:05' }),
    ).toEqual({
      response_action: 'clear',
    });
  });

  it('a stale modal (the incident changed since it opened) is refused, never overwriting the newer change', async () => {
    const incident = await declare('V0UPDSTALE', 2, { customers_impact: 'HI' });
    const seen = await db.prisma.incidentUpdate.count({ where: { incidentId: incident.id } });
    await submitUpdate(incident.id, { title: 'Checkout fails for card payments' });
    const body = await submitUpdate(incident.id, { title: 'Something else entirely here' }, seen);
    expect(body.errors!.status).toContain('changed this incident since you opened this form');
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).title).toBe(
      'Checkout fails for card payments',
    );
  });

  it('a new commander is recorded, invited and told by DM', async () => {
    const incident = await declare('V0UPDROLE', 2, { customers_impact: 'HI' });
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    await submitUpdate(incident.id, { commander: 'U0NEWCMD' });
    await jobsDrained(db.prisma, slackTasks);
    const invite = harness.slack
      .callsTo('conversations.invite')
      .find((call) => call.args.users === 'U0NEWCMD');
    expect(invite!.args.channel).toBe(channel.channelId);
    const dm = harness.slack.callsTo('chat.postMessage').find((call) => call.args.channel === 'U0NEWCMD');
    expect(String(dm!.args.text)).toContain('You are now *Incident Commander* of incident');
    const said = harness.slack
      .callsTo('chat.postMessage')
      .find(
        (call) => call.args.channel === channel.channelId && String(call.args.text).startsWith('*Incident'),
      );
    expect(String(said!.args.text)).toBe(
      '*Incident Commander:* <@U0REPORTER> → <@U0NEWCMD> — by <@U0REPORTER>',
    );
  });

  it('escalation P4 → P2 creates the channel once; de-escalation keeps it and tells the commander', async () => {
    const incident = await declare('V0UPDESC', 4, { business_impact: 'LO' }, { featureTeam: 'Platform' });
    expect(harness.slack.callsTo('conversations.create')).toHaveLength(0);
    await submitUpdate(incident.id, { priority: 2 });
    await jobsDrained(db.prisma, slackTasks);
    expect(harness.slack.callsTo('conversations.create')).toHaveLength(1);
    await eventually(
      () => db.prisma.slackChannel.count({ where: { incidentId: incident.id } }),
      (count) => count === 1,
    );
    await submitUpdate(incident.id, { priority: 4 });
    await jobsDrained(db.prisma, slackTasks);
    expect(harness.slack.callsTo('conversations.create')).toHaveLength(1);
    const dm = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => String(call.args.text).includes('is now P4'));
    expect(dm!.args.channel).toBe('U0REPORTER');
  });
});

describe('the update form cannot go around the rules', () => {
  it('closing from the form meets every closing condition (key events), like /incident close', async () => {
    const incident = await declare('V0UPDCLOSE', 3, { customers_impact: 'MD' });
    for (const status of ['INVESTIGATING', 'MITIGATING', 'MITIGATED'])
      await submitUpdate(incident.id, { status });
    const body = await submitUpdate(incident.id, { status: 'CLOSED' });
    expect(body.errors!.status).toContain('Missing key events: started, detected.');
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'MITIGATED',
    );
  });

  it('raising the priority in the same submission makes the post-mortem owed at once', async () => {
    const incident = await declare('V0UPDPMBYPASS', 3, { customers_impact: 'MD' });
    for (const status of ['INVESTIGATING', 'MITIGATING', 'MITIGATED'])
      await submitUpdate(incident.id, { status });
    const body = await submitUpdate(incident.id, { status: 'CLOSED', priority: 1 });
    expect(body.errors!.status).toContain('cannot go from Mitigated to Closed');
  });

  it('key events saved from the form stacked on the update form do not make it stale', async () => {
    const incident = await declare('V0UPDKEYS', 2, { customers_impact: 'HI' });
    const seen = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: { notIn: ['KEY_EVENT', 'NOTE'] } },
    });
    const { changeIncident } = await import('../../src/commands/changeIncident.js');
    await changeIncident({
      prisma: db.prisma,
      reference: harness.bot.deps.reference,
      productionEnvironments: ['PRD'],
      incidentId: incident.id,
      author: 'U0REPORTER',
      origin: 'slack',
      change: { keyEvents: { STARTED: new Date(Date.now() - 3_600_000) } },
    });
    expect(await submitUpdate(incident.id, { status: 'INVESTIGATING' }, seen)).toEqual({
      response_action: 'clear',
    });
  });

  it('a closed incident takes no more changes', async () => {
    const incident = await declare('V0UPDCLOSED', 2, { customers_impact: 'HI' });
    await db.prisma.incident.update({ where: { id: incident.id }, data: { status: 'CLOSED' } });
    const { changeIncident } = await import('../../src/commands/changeIncident.js');
    const result = await changeIncident({
      prisma: db.prisma,
      reference: harness.bot.deps.reference,
      productionEnvironments: ['PRD'],
      incidentId: incident.id,
      author: 'U0REPORTER',
      origin: 'jira',
      change: { title: 'Renamed after closing it' },
    });
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'INCIDENT_CLOSED' }] });
  });
});

describe('a change said in the channel, exactly once', () => {
  it('a status message whose answer was lost is adopted from the channel history, not posted twice', async () => {
    const incident = await declare('V0UPDLOST', 2, { customers_impact: 'HI' });
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    harness.slack.loseResponses('chat.postMessage', 1, (args) => String(args.text).startsWith('*Status:*'));
    await submitUpdate(incident.id, { status: 'INVESTIGATING' });
    const { jobAwaitingRetry, runDueJobsNow } = await import('../support/jobs.js');
    const update = await db.prisma.incidentUpdate.findFirstOrThrow({
      where: { incidentId: incident.id, eventType: 'STATUS_CHANGED' },
    });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:update:${update.id}`);
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, slackTasks);
    const said = harness.slack
      .callsTo('chat.postMessage')
      .filter(
        (call) => call.args.channel === channel.channelId && String(call.args.text).startsWith('*Status:*'),
      );
    expect(said).toHaveLength(1);
    expect(
      await db.prisma.slackMessage.count({ where: { incidentId: incident.id, type: `update:${update.id}` } }),
    ).toBe(1);
  });
});
