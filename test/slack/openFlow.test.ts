import { fixtureJson } from '../support/fixtures.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  declareThroughModal,
  detailsSubmission,
  impactsSubmission,
  messageBlockAction,
  modalBlockAction,
  type Details,
} from '../support/openFlowPayloads.js';
import { postSigned, interactiveBody, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let harness: TestBot;
beforeAll(async () => {
  db = await createTestDatabase();
  // No task runs here: these tests assert what a declare enqueues, and a worker would finish
  // (and delete) those jobs before the test reads them. Effects are tested in their own files.
  harness = await startTestBot({ DATABASE_URL: db.url }, { tasks: [] });
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});
beforeEach(() => {
  harness.slack.calls.length = 0;
});

async function submit(payload: unknown, timestamp?: number): Promise<Record<string, unknown>> {
  const response = await postSigned(
    harness.baseUrl,
    interactiveBody(payload),
    timestamp ? { timestamp } : {},
  );
  expect(response.status).toBe(200);
  const raw = await response.text();
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

describe('/incident router', () => {
  it('help and empty text list every subcommand', async () => {
    for (const textValue of ['help', '', '  HELP ']) {
      const response = await postSigned(harness.baseUrl, slashCommandBody({ text: textValue }));
      const body = (await response.json()) as { text: string };
      for (const sub of ['open', 'update', 'close', 'status', 'postmortem', 'help'])
        expect(body.text).toContain(`/incident ${sub}`);
    }
  });

  it('answers an unknown subcommand with the reference message plus help', async () => {
    const response = await postSigned(harness.baseUrl, slashCommandBody({ text: 'explode now' }));
    const body = (await response.json()) as { text: string };
    expect(body.text.startsWith(':x: Unknown command `explode`!')).toBe(true);
    expect(body.text).toContain('/incident open');
  });

  it('says an active incident is required when none is open and the command needs one', async () => {
    const response = await postSigned(harness.baseUrl, slashCommandBody({ text: 'status' }));
    const body = (await response.json()) as { text: string };
    expect(body.text).toBe(':x: This command requires an active incident. Please create one first.');
  });

  it('open acks and opens the impacts modal with the trigger id', async () => {
    const response = await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'open', trigger_id: 'trigger-open-1' }),
    );
    expect(response.status).toBe(200);
    const [call] = await harness.slack.waitFor('views.open');
    expect(call!.args.trigger_id).toBe('trigger-open-1');
    const view = JSON.parse(String(call!.args.view)) as {
      callback_id: string;
      blocks: { block_id?: string; element?: { initial_option?: { value: string } } }[];
    };
    expect(view.callback_id).toBe('open_incident_impacts');
    expect(view.blocks.map((block) => block.block_id)).toContain('impact_customers_impact');
    // Every impact starts at "No impact": one choice is enough to open.
    const impacts = view.blocks.filter((block) => block.block_id?.startsWith('impact_'));
    expect(impacts).toHaveLength(4);
    for (const block of impacts) expect(block.element?.initial_option?.value).toBe('NO');
  });

  it('tells the user to retry when Slack refuses to open the form', async () => {
    harness.slack.on('views.open', () => ({ ok: false, error: 'expired_trigger_id' }));
    try {
      await postSigned(
        harness.baseUrl,
        slashCommandBody({ text: 'open', response_url: `${harness.slack.url}/response/open` }),
      );
      const [reply] = await harness.slack.waitFor('response/open');
      expect(String(reply!.args.text)).toBe(
        ':x: Slack could not open the incident form (`expired_trigger_id`). Nothing was created: please run `/incident open` again.',
      );
    } finally {
      harness.slack.on('views.open', () => ({ ok: true }));
    }
  });

  it('the global shortcut opens the same flow', async () => {
    const shortcut = {
      ...fixtureJson('slack/shortcut-global.json'),
      callback_id: 'open_incident',
      trigger_id: 'trigger-shortcut',
    };
    const response = await postSigned(harness.baseUrl, interactiveBody(shortcut));
    expect(response.status).toBe(200);
    const [call] = await harness.slack.waitFor('views.open');
    expect(call!.args.trigger_id).toBe('trigger-shortcut');
  });
});

describe('open flow validation', () => {
  it('refuses all-NO impacts with a field error', async () => {
    const body = await submit(
      impactsSubmission({
        business_impact: 'NO',
        sellers_impact: 'NO',
        customers_impact: 'NO',
        employees_impact: 'NO',
      }),
    );
    expect(body.response_action).toBe('errors');
    expect(body.errors).toEqual({
      impact_business_impact: 'Select at least one impact: an incident with no impact cannot be opened.',
    });
  });

  it('moves to the details step with the computed priority', async () => {
    const body = await submit(impactsSubmission({ customers_impact: 'HI', business_impact: 'LO' }));
    // Pushed onto the impacts step, so the details step's "Back" goes back instead of closing.
    expect(body.response_action).toBe('push');
    const view = body.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id?: string }[];
    };
    expect(view.callback_id).toBe('open_incident_details');
    expect(JSON.parse(view.private_metadata)).toMatchObject({
      priority: 2,
      impacts: { customers_impact: 'HI', business_impact: 'LO' },
    });
    // Customer impact → customer ticket field; no seller impact → no seller fields; P2 → no feature team.
    const ids = view.blocks.map((block) => block.block_id);
    expect(ids).toContain('customerTicketId');
    expect(ids).not.toContain('sellerContractId');
    expect(ids).not.toContain('featureTeam');
  });

  it.each([
    [{ title: 'short' }, 'title', 'Ensure this value has at least 10 characters (it has 5).'],
    [{ title: 'x'.repeat(129) }, 'title', 'Ensure this value has at most 128 characters (it has 129).'],
    [{ title: null }, 'title', 'This field is required.'],
    [{ description: 'tiny' }, 'description', 'Ensure this value has at least 10 characters (it has 4).'],
    [
      { description: 'd'.repeat(1201) },
      'description',
      'Ensure this value has at most 1200 characters (it has 1201).',
    ],
    [{ category: null }, 'category', 'This field is required.'],
    [{ category: 'Not a category' }, 'category', 'Select a valid choice.'],
    [{ environments: [] }, 'environments', 'This field is required.'],
    [{ platforms: [] }, 'platforms', 'This field is required.'],
  ] as [Details, string, string][])('%j → %s: %s', async (details, field, message) => {
    const viewId = `V0INVALID${field}${message.length}`;
    const body = await submit(detailsSubmission(viewId, 2, { customers_impact: 'HI' }, details));
    expect(body.response_action).toBe('errors');
    expect((body.errors as Record<string, string>)[field]).toBe(message);
    expect(await db.prisma.incident.count({ where: { declareKey: `view:${viewId}` } })).toBe(0);
  });

  it('requires a feature team for P4–P5', async () => {
    const body = await submit(detailsSubmission('V0P4NOTEAM', 4, { business_impact: 'LO' }, {}));
    expect(body).toEqual({
      response_action: 'errors',
      errors: { featureTeam: 'Feature Team is required for P4/P5 incidents' },
    });
  });
});

describe('declare', () => {
  it('creates the incident with its history, commander and jobs in one go', async () => {
    const body = await submit(
      detailsSubmission('V0DECLARE1', 2, { customers_impact: 'HI' }, { customerTicketId: 'ZD-1234' }),
    );
    expect(body).toEqual({ response_action: 'clear' });
    const incident = await db.prisma.incident.findUniqueOrThrow({
      where: { declareKey: 'view:V0DECLARE1' },
      include: {
        updates: true,
        keyEvents: true,
        roles: { include: { roleType: true, user: true } },
        members: true,
        impacts: true,
        environments: { include: { environment: true } },
      },
    });
    expect(incident).toMatchObject({
      title: 'Checkout returns HTTP 500',
      priorityId: 2,
      status: 'OPEN',
      platforms: ['platform-All'],
      customFields: { customerTicketId: 'ZD-1234' },
    });
    expect(incident.updates.map((update) => update.eventType)).toEqual(['DECLARED']);
    expect(incident.keyEvents.map((event) => event.type)).toEqual(['DECLARED']);
    expect(incident.roles.map((role) => [role.roleType.slug, role.user.slackUserId])).toEqual([
      ['commander', 'U0REPORTER'],
    ]);
    expect(incident.members).toHaveLength(1);
    expect(incident.impacts).toHaveLength(1);
    expect(incident.environments.map((link) => link.environment.value)).toEqual(['PRD']);
    const jobs = await db.prisma.$queryRaw<
      { key: string }[]
    >`select key from graphile_worker._private_jobs where key like ${`incident:${incident.id}:%`} order by key`;
    expect(jobs.map((job) => job.key)).toEqual([
      `incident:${incident.id}:channel`,
      `incident:${incident.id}:jira-ticket`,
    ]);
  });

  it('is idempotent: a double submit or a Slack retry of the same view gives one incident', async () => {
    const payload = detailsSubmission(
      'V0TWICE',
      3,
      { employees_impact: 'MD' },
      { title: 'Search is very slow' },
    );
    // Slack signs each delivery anew (its own timestamp), so these are three requests, not a replay.
    const now = Math.floor(Date.now() / 1000);
    const results = await Promise.all([0, 1, 2].map((age) => submit(payload, now - age)));
    for (const body of results) expect(body).toEqual({ response_action: 'clear' });
    expect(await db.prisma.incident.count({ where: { declareKey: 'view:V0TWICE' } })).toBe(1);
    const [incident] = await db.prisma.incident.findMany({ where: { declareKey: 'view:V0TWICE' } });
    const jobs = await db.prisma.$queryRaw<
      { n: bigint }[]
    >`select count(*) as n from graphile_worker._private_jobs where key like ${`incident:${incident!.id}:%`}`;
    expect(Number(jobs[0]!.n)).toBe(2);
  });

  it('P4–P5 get the notice job instead of a channel, plus the ticket job', async () => {
    await submit(detailsSubmission('V0P5', 5, { employees_impact: 'LT' }, { featureTeam: 'Platform' }));
    const incident = await db.prisma.incident.findUniqueOrThrow({ where: { declareKey: 'view:V0P5' } });
    expect(incident.featureTeam).toBe('Platform');
    const jobs = await db.prisma.$queryRaw<
      { key: string }[]
    >`select key from graphile_worker._private_jobs where key like ${`incident:${incident.id}:%`} order by key`;
    expect(jobs.map((job) => job.key)).toEqual([
      `incident:${incident.id}:jira-ticket`,
      `incident:${incident.id}:normal-notice`,
    ]);
  });

  it('warns in the details step when a P1–P3 was opened in the past hour', async () => {
    await declareThroughModal(harness, db.prisma, 'V0RECENT', 2, { customers_impact: 'HI' });
    const body = await submit(impactsSubmission({ business_impact: 'HT' }));
    const view = body.view as { blocks: { text?: { text: string } }[] };
    const warning = view.blocks.find((block) => block.text?.text.includes('past hour'));
    expect(warning?.text?.text).toContain('Checkout returns HTTP 500');
  });
});

describe('/incident status', () => {
  it('in an incident channel: ephemeral recap with status, priority, roles, key events and Jira link', async () => {
    // Its own incident: no test depends on another having run first.
    const incident = await declareThroughModal(harness, db.prisma, 'V0RECAP', 2, { customers_impact: 'HI' });
    // What the channel job would have stored (no worker runs in this file).
    const { channelId } = await db.prisma.slackChannel.create({
      data: { incidentId: incident.id, channelId: 'C0RECAP', name: 'inc-recap' },
    });
    await db.prisma.jiraTicket.create({
      data: {
        incidentId: incident.id,
        jiraId: '10001',
        key: 'INC-1',
        projectKey: 'INC',
        url: 'https://example.atlassian.net/browse/INC-1',
      },
    });
    const response = await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'status', channel_id: channelId }),
    );
    const body = (await response.json()) as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe(`#${incident.id} Checkout returns HTTP 500 — Open, P2`);
    const rendered = JSON.stringify(body.blocks);
    expect(rendered).toContain('⛈️ P2');
    expect(rendered).toContain('Incident Commander: <@U0REPORTER>');
    expect(rendered).toContain('Declared');
    expect(rendered).toContain('<https://example.atlassian.net/browse/INC-1|INC-1>');
  });

  it('outside an incident channel: offers a picker of open incidents', async () => {
    const response = await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'status', channel_id: 'C0GENERAL' }),
    );
    const body = (await response.json()) as {
      blocks: { accessory?: { action_id: string; options: { value: string }[] } }[];
    };
    const picker = body.blocks[0]!.accessory!;
    expect(picker.action_id).toBe('pick_incident:status');
    expect(picker.options.length).toBeGreaterThan(0);
  });
  it('outside an incident channel: a P4–P5 (which has no channel to type in) is in the picker too, after the P1–P3', async () => {
    const minor = await declareThroughModal(
      harness,
      db.prisma,
      'V0PICKP5',
      5,
      { employees_impact: 'LO' },
      { featureTeam: 'Payments' },
    );
    const response = await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'update', channel_id: 'C0GENERAL' }),
    );
    const body = (await response.json()) as {
      blocks: { accessory?: { action_id: string; options: { value: string; text: { text: string } }[] } }[];
    };
    const picker = body.blocks[0]!.accessory!;
    expect(picker.action_id).toBe('pick_incident:update');
    const labels = picker.options.map((option) => option.text.text);
    expect(picker.options.map((option) => option.value)).toContain(String(minor.id));
    const ranks = labels.map((label) => Number(/ P(\d) /.exec(label)?.[1]));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});

describe('live priority and the incident picker', () => {
  it('re-renders step 1 with the priority as impacts are chosen', async () => {
    const payload = modalBlockAction(
      {
        ...impactsSubmission({ customers_impact: 'MD', employees_impact: 'LO' }).view,
        id: 'V0LIVE',
        hash: 'hash-1',
      },
      {
        type: 'static_select',
        action_id: 'impact_level',
        block_id: 'impact_customers_impact',
        selected_option: { text: { type: 'plain_text', text: 'Medium (MD)' }, value: 'MD' },
      },
    );
    const response = await postSigned(harness.baseUrl, interactiveBody(payload));
    expect(response.status).toBe(200);
    const [update] = await harness.slack.waitFor('views.update');
    expect(update!.args).toMatchObject({ view_id: 'V0LIVE', hash: 'hash-1' });
    expect(String(update!.args.view)).toContain('Priority: 🌩️ P3');
  });

  it('answers the picked incident through the response_url', async () => {
    const incident = await declareThroughModal(harness, db.prisma, 'V0PICKED', 2, { customers_impact: 'HI' });
    const payload = messageBlockAction('C0GENERAL', `${harness.slack.url}/response/1`, {
      type: 'static_select',
      action_id: 'pick_incident:status',
      block_id: 'b',
      selected_option: { text: { type: 'plain_text', text: 'x' }, value: String(incident.id) },
    });
    await postSigned(harness.baseUrl, interactiveBody(payload));
    const [reply] = await harness.slack.waitFor('response/1');
    expect(reply!.args).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(String(reply!.args.text)).toContain(`#${incident.id} Checkout returns HTTP 500`);
  });
});
