import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertChannelFor } from '../../src/jobs/tasks/notify_normal_incident.js';
import {
  jobAwaitingRetry,
  jobRescheduledAhead,
  jobsDrained,
  nextJobEvent,
  pendingJobs,
  runDueJobsNow,
} from '../support/jobs.js';
import { postSigned, slashCommandBody } from '../support/slackRequests.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal, type Details } from '../support/openFlowPayloads.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let harness: TestBot;
beforeAll(async () => {
  db = await createTestDatabase();
  const mapping = writeMappingFile({
    slack: {
      incidentsChannelId: 'C0INCIDENTS',
      alertChannelId: 'C0ALERTS',
      alertChannelHighId: 'C0ALERTSHIGH',
      responders: ['U0ONCALL1', 'U0ONCALL2'],
      respondersByCategory: { Payment: ['U0PAYMENTS'] },
      incidentUrlTemplate: 'https://status.example.com/incidents/{id}',
    },
  });
  harness = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping });
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});
beforeEach(async () => {
  // Each test starts once the previous test's Slack jobs have finished.
  await jobsDrained(db.prisma, ['create_incident_channel', 'notify_normal_incident']);
  harness.slack.reset();
});

const slack = () => harness.slack;
/** Jira is not configured in this suite: its "ticket will be created automatically" notices are not what we test here. */
const isJiraNotice = (call: { args: Record<string, unknown> }) =>
  String(call.args.text).includes('ticket will be created automatically');
const posts = () =>
  slack()
    .callsTo('chat.postMessage')
    .filter((call) => !isJiraNotice(call));

/** The announcements the bot posted to a channel (the only posts carrying that metadata). */
const announcementPosts = (channelId: string) =>
  posts().filter(
    (call) => call.args.channel === channelId && String(call.args.metadata ?? '').includes('"announcement"'),
  );

const declare = (viewId: string, priority: number, impacts: Record<string, string>, details: Details = {}) =>
  declareThroughModal(harness, db.prisma, viewId, priority, impacts, details);

const day = (date: Date) => date.toISOString().slice(0, 10).replace(/-/g, '');

describe('P1–P3: the incident channel', () => {
  it('P1 PRD: create, then topic, invites and the pinned announcement at once, with the exact channel name', async () => {
    // The topic answers only once the announcement is posted: steps made one after the other
    // would wait for it (until this gives up), steps made at once do not.
    const announced = slack().nextCall('chat.postMessage', (args) =>
      String(args.text).includes('incident #'),
    );
    let topicWaitedForAnnouncement = false;
    slack().on('conversations.setTopic', async () => {
      topicWaitedForAnnouncement = await Promise.race([
        announced.then(() => true),
        // Long enough for a loaded machine to post; sequential steps would still give up here.
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8000)),
      ]);
      return { ok: true };
    });
    const incident = await declare('V0P1', 1, { business_impact: 'HT' });
    await jobsDrained(db.prisma, ['create_incident_channel']);
    slack().on('conversations.setTopic', () => ({ ok: true }));
    expect(topicWaitedForAnnouncement).toBe(true);
    const channelOf = (args: Record<string, unknown>) => args.channel ?? args.channel_id;
    const createdId = (await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } }))
      .channelId;
    const steps = slack()
      .calls.filter((call) => call.method === 'conversations.create' || channelOf(call.args) === createdId)
      .map((call) => call.method);
    expect(steps[0]).toBe('conversations.create');
    expect(steps).toEqual(
      expect.arrayContaining([
        'conversations.setTopic',
        'conversations.invite',
        'chat.postMessage',
        'pins.add',
      ]),
    );
    expect(steps.indexOf('pins.add')).toBeGreaterThan(steps.indexOf('chat.postMessage'));

    const name = `${day(incident.createdAt)}-${incident.id}-prd-payment`;
    const [create] = slack().callsTo('conversations.create');
    expect(create!.args).toMatchObject({ name, is_private: 'false' });
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(channel).toMatchObject({ name, isPrivate: false });

    const [topic] = slack().callsTo('conversations.setTopic');
    expect(topic!.args.channel).toBe(channel.channelId);
    expect(topic!.args.topic).toBe(
      `Incident - 🌪️ P1 - Open - Customer journey - Payment - <https://status.example.com/incidents/${incident.id}|Status>`,
    );
    // Made at once, so in whichever order they arrive.
    const invites = slack()
      .callsTo('conversations.invite')
      .map((call) => call.args);
    expect(invites).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: channel.channelId, users: 'U0REPORTER' }),
        expect.objectContaining({ channel: channel.channelId, users: 'U0ONCALL1,U0ONCALL2,U0PAYMENTS' }),
      ]),
    );

    const postedIn = (channelId: string) => posts().filter((call) => call.args.channel === channelId);
    expect(postedIn(channel.channelId)).toHaveLength(1);
    const blocks = String(postedIn(channel.channelId)[0]!.args.blocks);
    for (const expected of [
      'Checkout returns HTTP 500',
      '🌪️ P1',
      'Open',
      '<@U0REPORTER>',
      'Payment',
      'PRD',
      'Customers cannot pay',
    ]) {
      expect(blocks).toContain(expected);
    }
    const announcement = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, type: 'announcement' },
    });
    const [pin] = slack().callsTo('pins.add');
    expect(pin!.args).toMatchObject({ channel: channel.channelId, timestamp: announcement.ts });

    // P1, PRD, public: announced in the incidents channel too.
    expect(postedIn('C0INCIDENTS')).toHaveLength(1);
    expect(String(postedIn('C0INCIDENTS')[0]!.args.text)).toContain(`#${incident.id}`);
    const [bookmark] = slack().callsTo('bookmarks.add');
    expect(bookmark!.args).toMatchObject({
      channel_id: channel.channelId,
      title: 'Incident Page',
      link: `https://status.example.com/incidents/${incident.id}`,
    });
  });

  it('private category: private channel, no incidents-channel post; on failure no public fallback, the reporter is told', async () => {
    slack().on('conversations.create', (args) =>
      args.is_private === 'true'
        ? { ok: false, error: 'restricted_action' }
        : { ok: true, channel: { id: 'C0PUBLIC', name: args.name } },
    );
    const done = nextJobEvent(harness.bot.worker.runner, 'job:complete', 'create_incident_channel');
    const incident = await declare(
      'V0PRIVATE',
      2,
      { customers_impact: 'HI' },
      { category: 'Personal Data Breach' },
    );
    await done;

    const creates = slack().callsTo('conversations.create');
    expect(creates).toHaveLength(1);
    expect(creates[0]!.args.is_private).toBe('true');
    expect(await db.prisma.slackChannel.count({ where: { incidentId: incident.id } })).toBe(0);
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const dm = slack()
      .callsTo('chat.postMessage')
      .find((call) => String(call.args.text).includes('restricted_action'));
    expect(dm!.args.channel).toBe('U0REPORTER');
    expect(String(dm!.args.text)).toContain('restricted_action');
    expect(String(dm!.args.text)).toContain('No public channel was created');
    const note = await db.prisma.incidentUpdate.findFirstOrThrow({
      where: { incidentId: incident.id, eventType: 'NOTE' },
    });
    expect(note.message).toContain('Creating the incident channel failed');
    // Permanent: not left to retry forever.
    expect(await pendingJobs(db.prisma, `incident:${incident.id}:channel`)).toEqual([]);
  });

  it('private category that succeeds: is_private true and nothing in the incidents channel', async () => {
    slack().on('conversations.create', (args) => ({
      ok: true,
      channel: { id: 'C0SECRET', name: args.name, is_private: true },
    }));
    const incident = await declare(
      'V0PRIVATEOK',
      1,
      { business_impact: 'HT' },
      { category: 'System Compromise' },
    );
    await slack().waitFor('pins.add');
    await slack().waitFor('conversations.invite', 2);
    expect(slack().callsTo('conversations.create')[0]!.args.is_private).toBe('true');
    expect(
      slack()
        .callsTo('chat.postMessage')
        .map((call) => call.args.channel),
    ).not.toContain('C0INCIDENTS');
    expect(
      await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } }),
    ).toMatchObject({ isPrivate: true });
  });

  it('name_taken → retries with a suffixed name', async () => {
    slack().on('conversations.create', (args, call) =>
      call === 1
        ? { ok: false, error: 'name_taken' }
        : { ok: true, channel: { id: 'C0SUFFIXED', name: args.name } },
    );
    const incident = await declare(
      'V0TAKEN',
      3,
      { customers_impact: 'MD' },
      { category: 'Search', environments: ['STG'] },
    );
    await slack().waitFor('pins.add');
    const names = slack()
      .callsTo('conversations.create')
      .map((call) => call.args.name);
    const base = `${day(incident.createdAt)}-${incident.id}-stg-search`;
    expect(names.slice(-2)).toEqual([base, `${base}-2`]);
    expect(
      await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } }),
    ).toMatchObject({
      channelId: 'C0SUFFIXED',
      name: `${base}-2`,
    });
    // STG: no incidents-channel announcement.
    expect(
      slack()
        .callsTo('chat.postMessage')
        .map((call) => call.args.channel),
    ).not.toContain('C0INCIDENTS');
  });

  it('Slack 5xx on conversations.create → the job is retried, then succeeds', async () => {
    let attempts = 0;
    slack().on('conversations.create', (args) => {
      attempts += 1;
      return attempts === 1
        ? { status: 503, body: { ok: false, error: 'service_unavailable' } }
        : { ok: true, channel: { id: 'C0AFTER503', name: args.name } };
    });
    const incident = await declare('V0FLAKY', 2, { customers_impact: 'HI' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:channel`);
    const [job] = await pendingJobs(db.prisma, `incident:${incident.id}:channel`);
    expect(job).toMatchObject({ attempts: 1 });
    expect(job!.last_error).toContain('HTTP 503');
    expect(await db.prisma.slackChannel.count({ where: { incidentId: incident.id } })).toBe(0);

    await runDueJobsNow(db.prisma);
    await slack().waitFor('pins.add');
    expect(attempts).toBe(2);
    expect(
      await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } }),
    ).toMatchObject({
      channelId: 'C0AFTER503',
    });
    expect(
      slack()
        .callsTo('chat.postMessage')
        .filter((call) => call.args.channel === 'C0AFTER503'),
    ).toHaveLength(1);
  });
  it('a batch invite that fails falls back to one-by-one invites; the rest still get in', async () => {
    slack().on('conversations.invite', (args) => {
      const users = String(args.users);
      if (users.includes(',')) return { ok: false, error: 'user_not_found' };
      return users === 'U0ONCALL2' ? { ok: false, error: 'user_not_found' } : { ok: true };
    });
    await declare('V0INVITES', 2, { customers_impact: 'HI' });
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const invited = slack()
      .callsTo('conversations.invite')
      .map((call) => call.args.users);
    // The reporter and the responders are invited at once: their calls may interleave.
    expect(invited.filter((users) => users !== 'U0REPORTER')).toEqual([
      'U0ONCALL1,U0ONCALL2,U0PAYMENTS',
      'U0ONCALL1',
      'U0ONCALL2',
      'U0PAYMENTS',
    ]);
    expect(invited).toContain('U0REPORTER');
    slack().on('conversations.invite', () => ({ ok: true }));
  });
});

describe('exactly once, and no step blocks another', () => {
  it('a create whose answer was lost: the retry adopts our own channel instead of making -2', async () => {
    slack().loseResponses('conversations.create');
    const incident = await declare('V0LOSTCREATE', 2, { customers_impact: 'HI' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:channel`);
    const name = `${day(incident.createdAt)}-${incident.id}-prd-payment`;
    const madeBySlack = slack().channels.get(name)!;
    expect(madeBySlack).toBeDefined();
    expect(await db.prisma.slackChannel.count({ where: { incidentId: incident.id } })).toBe(0);

    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const creates = slack()
      .callsTo('conversations.create')
      .map((call) => call.args.name);
    expect(creates).toEqual([name, name]);
    expect(
      await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } }),
    ).toMatchObject({
      channelId: madeBySlack.id,
      name,
    });
    expect(slack().channels.has(`${name}-2`)).toBe(false);
    expect(slack().callsTo('pins.add')).toHaveLength(1);
  });

  it('a name taken by someone else still gets a suffix (a channel the bot did not create is not adopted)', async () => {
    const incident = await declare(
      'V0SQUAT',
      3,
      { customers_impact: 'MD' },
      { category: 'Search', environments: ['INT'] },
    );
    await jobsDrained(db.prisma, ['create_incident_channel']);
    // Reset the same name as if a person had made it, then make the bot create it again.
    const name = `${day(incident.createdAt)}-${incident.id}-int-search`;
    await db.prisma.slackChannel.delete({ where: { incidentId: incident.id } });
    await db.prisma.slackMessage.deleteMany({ where: { incidentId: incident.id } });
    slack().channels.set(name, { ...slack().channels.get(name)!, creator: 'U0SOMEONE' });
    slack().reset();
    const { enqueueJob } = await import('../../src/jobs/enqueue.js');
    await enqueueJob(db.prisma, 'create_incident_channel', { incidentId: incident.id }, { jobKey: 'again' });
    await jobsDrained(db.prisma, ['create_incident_channel']);
    expect(
      (await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } })).name,
    ).toBe(`${name}-2`);
  });

  it('a bookmark whose answer was lost is adopted on retry, never added twice', async () => {
    slack().loseResponses('bookmarks.add');
    const incident = await declare('V0LOSTBOOKMARK', 2, { customers_impact: 'HI' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:channel`);
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(slack().callsTo('bookmarks.add')).toHaveLength(1);
    expect(slack().bookmarks.get(channel.channelId)).toHaveLength(1);
    const stored = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, type: 'bookmark:incident_page' },
    });
    expect(stored.ts).toBe(slack().bookmarks.get(channel.channelId)![0]!.id);
    expect(slack().callsTo('pins.add')).toHaveLength(2); // the retry re-pins (already_pinned is success)
  });

  it('a failed incidents-channel post does not skip the responders; failed invites are said in the channel', async () => {
    slack().on('chat.postMessage', (args) =>
      args.channel === 'C0INCIDENTS' ? { ok: false, error: 'channel_not_found' } : slack().postMessage(args),
    );
    slack().on('conversations.invite', (args) =>
      String(args.users).includes('U0ONCALL2') ? { ok: false, error: 'user_not_found' } : { ok: true },
    );
    const done = nextJobEvent(harness.bot.worker.runner, 'job:complete', 'create_incident_channel');
    const incident = await declare('V0STEPS', 1, { business_impact: 'HT' });
    await done;
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const invited = slack()
      .callsTo('conversations.invite')
      .map((call) => call.args.users);
    expect(invited).toContain('U0ONCALL1');
    expect(invited).toContain('U0PAYMENTS');
    const notice = slack()
      .callsTo('chat.postMessage')
      .find(
        (call) =>
          call.args.channel === channel.channelId && String(call.args.text).includes('Could not invite'),
      );
    expect(String(notice!.args.text)).toContain('<@U0ONCALL2> (`user_not_found`)');
    expect(slack().callsTo('bookmarks.add')).toHaveLength(1);
    slack().reset();
    slack().on('conversations.invite', () => ({ ok: true }));
    slack().on('chat.postMessage', (args) => slack().postMessage(args));
  });

  it('an announcement whose answer was lost is found in the channel and adopted: posted once, pinned', async () => {
    // The announcement (it carries the bot's metadata) lands in Slack, but its answer is lost.
    slack().loseResponses('chat.postMessage', 1, (args) =>
      String(args.metadata ?? '').includes('"announcement"'),
    );
    const incident = await declare('V0LOSTPOST', 2, { customers_impact: 'HI' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:channel`);
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const announcements = announcementPosts(channel.channelId);
    expect(announcements).toHaveLength(1);
    const stored = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, type: 'announcement' },
    });
    expect(stored.ts).toBe(slack().history.get(channel.channelId)!.at(-1)!.ts);
    const pins = slack().callsTo('pins.add');
    expect(pins.at(-1)!.args).toMatchObject({ channel: channel.channelId, timestamp: stored.ts });
    expect(
      await db.prisma.createIntent.count({ where: { key: `slack-message:${incident.id}:announcement` } }),
    ).toBe(0);
  });
  it('a Slack 429 sends its job back for the Retry-After and holds nothing else: a modal opens meanwhile', async () => {
    // Slack's client would otherwise pause its one shared queue for the Retry-After: every other
    // call, a person's modal included (its trigger expires in 3 s), would wait behind it.
    let limited = false;
    slack().on('chat.postMessage', (args) => {
      if (limited || !String(args.metadata ?? '').includes('"announcement"'))
        return slack().postMessage(args);
      limited = true;
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '30' } };
    });
    const incident = await declare('V0RATELIMITED', 2, { customers_impact: 'HI' });
    await jobRescheduledAhead(db.prisma, `incident:${incident.id}:channel`, 20_000);

    const modal = slack().nextCall('views.open');
    expect((await postSigned(harness.baseUrl, slashCommandBody({ text: 'open' }))).status).toBe(200);
    expect((await modal).args.trigger_id).toBeTruthy();

    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, ['create_incident_channel']);
    slack().on('chat.postMessage', (args) => slack().postMessage(args));
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const announcements = announcementPosts(channel.channelId);
    expect(announcements.length).toBeGreaterThanOrEqual(1);
    const inChannel = slack().history.get(channel.channelId)!;
    expect(
      inChannel.filter((message) => JSON.stringify(message.metadata ?? {}).includes('"announcement"')),
    ).toHaveLength(1);
  });

  it('an incidents-channel line whose answer was lost, in a public channel the bot is not in: it joins to look, posts once', async () => {
    // The bot posts to the incidents channel with chat:write.public; Slack lets it read the
    // channel's history only once it has joined.
    let joined = false;
    slack().on('conversations.join', (args) => {
      joined ||= args.channel === 'C0INCIDENTS';
      return { ok: true, channel: { id: args.channel } };
    });
    slack().on('conversations.history', (args) =>
      args.channel === 'C0INCIDENTS' && !joined
        ? { ok: false, error: 'not_in_channel' }
        : { ok: true, messages: slack().history.get(String(args.channel)) ?? [], has_more: false },
    );
    slack().loseResponses('chat.postMessage', 1, (args) => args.channel === 'C0INCIDENTS');
    const incident = await declare('V0LOSTSHARED', 2, { customers_impact: 'HI' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:channel`);
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, ['create_incident_channel']);
    slack().on('conversations.history', (args) => ({
      ok: true,
      messages: slack().history.get(String(args.channel)) ?? [],
      has_more: false,
    }));
    expect(joined).toBe(true);
    expect(posts().filter((call) => call.args.channel === 'C0INCIDENTS')).toHaveLength(1);
    const line = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, channelId: 'C0INCIDENTS' },
    });
    expect(line.ts).toBe(slack().history.get('C0INCIDENTS')![0]!.ts);
  });
});

describe('P4–P5: no channel', () => {
  it('DMs the reporter and posts to the alert channel', async () => {
    const incident = await declare('V0P4', 4, { business_impact: 'LO' }, { featureTeam: 'Payments' });
    await jobsDrained(db.prisma, ['notify_normal_incident']);
    expect(slack().callsTo('conversations.create')).toHaveLength(0);
    expect(posts().map((call) => call.args.channel)).toEqual(['U0REPORTER', 'C0ALERTS']);
    expect(String(posts()[1]!.args.text)).toBe(
      `New Incident: 🌦️ P4 #${incident.id}: Checkout returns HTTP 500`,
    );
    await jobsDrained(db.prisma, ['notify_normal_incident']);
    const stored = await db.prisma.slackMessage.findMany({
      where: { incidentId: incident.id, type: { in: ['reporter_notice', 'alert_notice'] } },
      orderBy: { id: 'asc' },
    });
    expect(stored.map((message) => [message.type, message.channelId])).toEqual([
      ['reporter_notice', 'D0REPORTER'],
      ['alert_notice', 'C0ALERTS'],
    ]);
  });

  it('uses the high alert channel when business impact is high, else the normal one', () => {
    const slackMapping = harness.config.mapping.slack;
    const card = (businessImpact: string | null) =>
      ({ businessImpact }) as Parameters<typeof alertChannelFor>[0];
    expect(alertChannelFor(card('HI'), slackMapping)).toBe('C0ALERTSHIGH');
    expect(alertChannelFor(card('HT'), slackMapping)).toBe('C0ALERTSHIGH');
    expect(alertChannelFor(card('LO'), slackMapping)).toBe('C0ALERTS');
    expect(alertChannelFor(card(null), slackMapping)).toBe('C0ALERTS');
    expect(alertChannelFor(card('HI'), { ...slackMapping, alertChannelHighId: null })).toBe('C0ALERTS');
  });
});
