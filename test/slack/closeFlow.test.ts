import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobsDrained } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal, reporter, type Details } from '../support/openFlowPayloads.js';
import { fixtureJson } from '../support/fixtures.js';
import { interactiveBody, postSigned, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const slackTasks = [
  'create_incident_channel',
  'notify_normal_incident',
  'refresh_incident_messages',
  'post_incident_update',
  'welcome_role_holder',
  'archive_incident_channel',
];

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

async function declare(
  viewId: string,
  priority: number,
  impacts: Record<string, string>,
  details: Details = {},
) {
  const incident = await declareThroughModal(harness, db.prisma, viewId, priority, impacts, details);
  await jobsDrained(db.prisma, slackTasks);
  const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
  return { ...incident, channelId: channel.channelId };
}

/** Move an incident along (as earlier updates would have) and give it key events. */
async function mitigate(incidentId: number, keyEvents: ('STARTED' | 'DETECTED')[]) {
  await db.prisma.incident.update({
    where: { id: incidentId },
    data: { status: 'MITIGATED', mitigatedAt: new Date() },
  });
  for (const type of [...keyEvents, 'RECOVERED' as const]) {
    await db.prisma.keyEvent.create({
      data: { incidentId, type, occurredAt: new Date(Date.now() - 60_000) },
    });
  }
}

async function closeIn(channelId: string, responsePath: string) {
  const response = await postSigned(
    harness.baseUrl,
    slashCommandBody({
      text: 'close',
      channel_id: channelId,
      response_url: `${harness.slack.url}/${responsePath}`,
    }),
  );
  expect(response.status).toBe(200);
}

function closureSubmission(
  incidentId: number,
  updateCount: number,
  values: { reason?: string; reference?: string; message?: string },
) {
  const base = fixtureJson<Record<string, unknown> & { view: Record<string, unknown> }>(
    'slack/view_submission.json',
  );
  const select = (value?: string) => ({
    type: 'static_select',
    selected_option: value ? { text: { type: 'plain_text', text: value }, value } : null,
  });
  return {
    ...base,
    team: { id: 'T0TEST', domain: 'example-workspace' },
    user: reporter,
    view: {
      ...base.view,
      id: `V0CLOSE${incidentId}${values.reason ?? ''}${values.message?.length ?? 0}`,
      callback_id: 'close_with_reason',
      private_metadata: JSON.stringify({ incidentId, updateCount }),
      blocks: [],
      hash: 'h',
      state: {
        values: {
          closureReason: { value: select(values.reason) },
          closureReference: { value: { type: 'plain_text_input', value: values.reference ?? null } },
          message: { value: { type: 'plain_text_input', value: values.message ?? null } },
        },
      },
    },
  };
}

describe('/incident close', () => {
  it('never mitigated: the closure-reason modal; a reason and message close it, archive the channel, confirm by DM', async () => {
    const incident = await declare('V0CLOSEOPEN', 2, { customers_impact: 'HI' });
    await closeIn(incident.channelId, 'response/close-open');
    const [open] = await harness.slack.waitFor('views.open');
    const view = JSON.parse(String(open!.args.view)) as {
      callback_id: string;
      blocks: { element: { options?: { value: string }[] } }[];
    };
    expect(view.callback_id).toBe('close_with_reason');
    expect(view.blocks[0]!.element.options!.map((option) => option.value)).not.toContain('RESOLVED');

    const updates = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: { notIn: ['KEY_EVENT', 'NOTE'] } },
    });
    const refused = await postSigned(
      harness.baseUrl,
      interactiveBody(closureSubmission(incident.id, updates, { reason: 'DUPLICATE' })),
    );
    expect(await refused.json()).toMatchObject({
      response_action: 'errors',
      errors: { message: expect.any(String) },
    });

    harness.slack.on('conversations.archive', () => ({ ok: false, error: 'already_archived' }));
    const closed = await postSigned(
      harness.baseUrl,
      interactiveBody(
        closureSubmission(incident.id, updates, {
          reason: 'DUPLICATE',
          reference: '#12',
          message: 'Same as #12',
        }),
      ),
    );
    expect(await closed.json()).toEqual({ response_action: 'clear' });
    await jobsDrained(db.prisma, slackTasks);
    const stored = await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(stored).toMatchObject({ status: 'CLOSED', closureReason: 'DUPLICATE', closureReference: '#12' });
    expect(stored.closedAt).not.toBeNull();
    expect(harness.slack.callsTo('conversations.archive')[0]!.args.channel).toBe(incident.channelId);
    expect(
      (await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } })).archivedAt,
    ).not.toBeNull();
    const dm = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => call.args.channel === 'U0REPORTER' && String(call.args.text).includes('You closed'));
    expect(String(dm!.args.text)).toContain(`You closed incident #${incident.id}`);
  });

  it('not closable yet: one block per reason, with a button that opens the update form', async () => {
    const incident = await declare('V0CLOSENOTYET', 3, { customers_impact: 'MD' });
    await db.prisma.incident.update({ where: { id: incident.id }, data: { status: 'MITIGATING' } });
    await closeIn(incident.channelId, 'response/close-refused');
    const [reply] = await harness.slack.waitFor('response/close-refused');
    const blocks = JSON.parse(JSON.stringify(reply!.args.blocks)) as {
      block_id?: string;
      accessory?: { action_id: string };
    }[];
    expect(blocks.map((block) => block.block_id).filter(Boolean)).toEqual([
      'reason_STATUS_NOT_MITIGATED',
      'reason_MISSING_REQUIRED_KEY_EVENTS',
    ]);
    expect(
      blocks.find((block) => block.block_id === 'reason_STATUS_NOT_MITIGATED')!.accessory!.action_id,
    ).toBe('open_update_modal');
    expect(JSON.stringify(blocks)).toContain('Missing key events: started, detected, recovered.');
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'MITIGATING',
    );
  });

  it('a mitigated P3 with its key events closes at once', async () => {
    const incident = await declare('V0CLOSEP3', 3, { customers_impact: 'MD' });
    await mitigate(incident.id, ['STARTED', 'DETECTED']);
    await closeIn(incident.channelId, 'response/close-p3');
    const [reply] = await harness.slack.waitFor('response/close-p3');
    expect(String(reply!.args.text)).toBe(`:white_check_mark: Incident #${incident.id} is closed.`);
    await jobsDrained(db.prisma, slackTasks);
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'CLOSED',
    );
    expect(harness.slack.callsTo('conversations.archive')).toHaveLength(1);
  });

  it('a P1 in production needs its post-mortem first', async () => {
    const incident = await declare('V0CLOSEP1', 1, { business_impact: 'HT' });
    await mitigate(incident.id, ['STARTED', 'DETECTED']);
    await closeIn(incident.channelId, 'response/close-p1');
    const [reply] = await harness.slack.waitFor('response/close-p1');
    const text = JSON.stringify(reply!.args.blocks);
    expect(text).toContain('reason_STATUS_NOT_POST_MORTEM');
    expect(text).toContain('reason_POSTMORTEM_NOT_LINKED');
    // This bot has no Jira: the refusal says none can be made, instead of "create it now".
    expect(text).toContain('this bot has no Jira connection. An operator must configure Jira first.');
  });
});
