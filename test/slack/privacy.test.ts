import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { notVisible } from '../../src/slack/incidentRefs.js';
import { eventually } from '../support/eventually.js';
import { fixtureJson } from '../support/fixtures.js';
import { jobsDrained } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import {
  declareThroughModal,
  impactsSubmission,
  messageBlockAction,
  reporter,
} from '../support/openFlowPayloads.js';
import { interactiveBody, postSigned, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** A private incident's title and summary: must never reach anyone but its members. */
const SECRET_TITLE = 'Customer records exported by ex-employee';
const OUTSIDER = { ...reporter, id: 'U0OUTSIDER', username: 'outsider', name: 'outsider' };

let db: TestDatabase;
let harness: TestBot;
let privateP2: { id: number };
let privateP4: { id: number };
let publicP2: { id: number };

beforeAll(async () => {
  db = await createTestDatabase();
  const mapping = writeMappingFile({
    slack: {
      incidentsChannelId: 'C0INCIDENTS',
      alertChannelId: 'C0ALERTS',
      admins: [],
      responders: ['U0ONCALL'],
    },
  });
  harness = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping });
  const secret = {
    category: 'Personal Data Breach',
    title: SECRET_TITLE,
    description: 'Do not share: 4,000 rows.',
  };
  privateP2 = await declareThroughModal(harness, db.prisma, 'V0PRIV2', 2, { customers_impact: 'HI' }, secret);
  privateP4 = await declareThroughModal(
    harness,
    db.prisma,
    'V0PRIV4',
    4,
    { employees_impact: 'LO' },
    {
      ...secret,
      featureTeam: 'Platform',
    },
  );
  publicP2 = await declareThroughModal(harness, db.prisma, 'V0PUB2', 2, { customers_impact: 'HI' }, {});
  await jobsDrained(db.prisma, ['create_incident_channel', 'notify_normal_incident']);
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});
beforeEach(() => harness.slack.reset());

const everythingSlackSaw = () => JSON.stringify(harness.slack.calls);

describe('a private incident stays private', () => {
  it('a private P4–P5 is told to its reporter only, never to the alert channel', async () => {
    const card = await db.prisma.slackMessage.findMany({
      where: { incidentId: privateP4.id, type: { not: 'jira_delay_notice' } },
    });
    expect(card.map((message) => message.type)).toEqual(['reporter_notice']);
    expect(card[0]!.channelId).toBe('D0REPORTER');
  });

  it('the past-hour warning lists only incidents the person opening the form may see', async () => {
    const as = async (user: typeof reporter) => {
      const payload = { ...impactsSubmission({ customers_impact: 'HI' }), user };
      const response = await postSigned(harness.baseUrl, interactiveBody(payload));
      return JSON.stringify(await response.json());
    };
    const outsiderView = await as(OUTSIDER);
    expect(outsiderView).toContain(`#${publicP2.id}`);
    expect(outsiderView).not.toContain(SECRET_TITLE);
    expect(outsiderView).not.toContain(`#${privateP2.id} `);
    expect(await as(reporter)).toContain(SECRET_TITLE);
  });

  it('the incident picker lists private incidents to their members only', async () => {
    const picker = async (userId: string) => {
      const response = await postSigned(
        harness.baseUrl,
        slashCommandBody({ text: 'status', channel_id: 'C0GENERAL', user_id: userId }),
      );
      return JSON.stringify(await response.json());
    };
    const outsiderPicker = await picker(OUTSIDER.id);
    expect(outsiderPicker).toContain(`"value":"${publicP2.id}"`);
    expect(outsiderPicker).not.toContain(`"value":"${privateP2.id}"`);
    expect(outsiderPicker).not.toContain(SECRET_TITLE);
    expect(await picker(reporter.id)).toContain(`"value":"${privateP2.id}"`);
  });

  it('choosing a private incident id that was never listed answers as if it did not exist', async () => {
    const pick = async (value: string, user = OUTSIDER) => {
      const path = `response/${value.length}-${user.id}`;
      const payload = {
        ...messageBlockAction('C0GENERAL', `${harness.slack.url}/${path}`, {
          type: 'static_select',
          action_id: 'pick_incident:status',
          block_id: 'b',
          selected_option: { text: { type: 'plain_text', text: 'x' }, value },
        }),
        user,
      };
      expect((await postSigned(harness.baseUrl, interactiveBody(payload))).status).toBe(200);
      const [reply] = await harness.slack.waitFor(path);
      return String(reply!.args.text);
    };
    expect(await pick(String(privateP2.id))).toBe(notVisible(privateP2.id));
    expect(everythingSlackSaw()).not.toContain(SECRET_TITLE);
    // Unparseable and out-of-range ids get the same clear answer, not a database stack trace.
    expect(await pick('abc')).toBe(notVisible('abc'));
    expect(await pick('99999999999999')).toBe(notVisible('99999999999999'));
    expect(await pick(String(privateP2.id), reporter)).toContain(SECRET_TITLE);
  });

  /** Slack's member_joined_channel / member_left_channel event for the private incident's channel. */
  const membershipEvent = async (
    type: 'member_joined_channel' | 'member_left_channel',
    user: string,
    id: string,
  ) => {
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: privateP2.id } });
    const base = fixtureJson<Record<string, unknown>>('slack/event_callback-reaction_added.json');
    const event = {
      ...base,
      team_id: 'T0TEST',
      event_id: id,
      event: { type, user, channel: channel.channelId, channel_type: 'G', team: 'T0TEST', event_ts: '1.1' },
    };
    const response = await postSigned(harness.baseUrl, JSON.stringify(event), {
      contentType: 'application/json',
    });
    expect(response.status).toBe(200);
  };
  const memberships = (user: string) =>
    db.prisma.incidentMember.count({ where: { incidentId: privateP2.id, user: { slackUserId: user } } });
  /** Who Slack says is in the channel now. */
  const slackMembers = (users: string[]) =>
    harness.slack.on('conversations.members', () => ({
      ok: true,
      members: users,
      response_metadata: { next_cursor: '' },
    }));

  it('someone who joins the channel becomes a member and may then see it', async () => {
    slackMembers([reporter.id, OUTSIDER.id]);
    await membershipEvent('member_joined_channel', OUTSIDER.id, 'Ev0JOIN');
    await eventually(
      () => memberships(OUTSIDER.id),
      (count) => count === 1,
    );
    const picker = await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'status', channel_id: 'C0GENERAL', user_id: OUTSIDER.id }),
    );
    expect(JSON.stringify(await picker.json())).toContain(`"value":"${privateP2.id}"`);
  });

  it('a join handled after the leave that followed it does not keep them in: what Slack says now decides', async () => {
    slackMembers([reporter.id, 'U0LATEJOIN']);
    await membershipEvent('member_joined_channel', 'U0LATEJOIN', 'Ev0LATE1');
    await eventually(
      () => memberships('U0LATEJOIN'),
      (count) => count === 1,
    );
    // They left; the leave was handled, then a late copy of their join arrives.
    slackMembers([reporter.id]);
    await membershipEvent('member_left_channel', 'U0LATEJOIN', 'Ev0LATE2');
    await membershipEvent('member_joined_channel', 'U0LATEJOIN', 'Ev0LATE3');
    await harness.slack.waitFor('conversations.members', 3);
    await eventually(
      () => memberships('U0LATEJOIN'),
      (count) => count === 0,
    );
  });

  it('people the bot invites into the channel are members', async () => {
    const members = await db.prisma.incidentMember.findMany({
      where: { incidentId: publicP2.id },
      include: { user: true },
    });
    expect(members.map((member) => member.user.slackUserId).sort()).toEqual(['U0ONCALL', reporter.id]);
  });
});

describe('/incident doctor shows configuration to admins only', () => {
  it('with no admins configured, only Slack workspace admins and owners may run it', async () => {
    harness.slack.on('users.info', (args) => ({
      ok: true,
      user: { id: args.user, is_admin: args.user === 'U0WSADMIN', is_owner: false },
    }));
    const run = async (userId: string) => {
      const response = await postSigned(
        harness.baseUrl,
        slashCommandBody({ text: 'doctor', user_id: userId }),
      );
      return String(((await response.json()) as { text: string }).text);
    };
    expect(await run(OUTSIDER.id)).toContain('Only the bot admins');
    expect(await run('U0WSADMIN')).toContain('Checking Slack, the database and Jira');
  });
});
