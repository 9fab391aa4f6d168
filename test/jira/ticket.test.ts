import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeJira, JIRA_BASE, jiraEnv } from '../support/fakeJira.js';
import { fixtureJson } from '../support/fixtures.js';
import { jobAwaitingRetry, jobsDrained, pendingJobs, runDueJobsNow } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal, type Details } from '../support/openFlowPayloads.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const fixture = (name: string) => fixtureJson<unknown>(`jira/${name}`);
const allTasks = [
  'create_incident_channel',
  'notify_normal_incident',
  'create_jira_ticket',
  'add_jira_watcher',
  'add_jira_remote_links',
  'link_jira_in_slack',
];

let db: TestDatabase;
let harness: TestBot;
const jira = new FakeJira();

beforeAll(async () => {
  db = await createTestDatabase();
  jira.start();
  jira.users.push({
    accountId: '5c0000000000000000000001',
    emailAddress: 'user@example.com',
    displayName: 'Sample User',
  });
  const mapping = writeMappingFile({
    slack: { alertChannelId: 'C0ALERTS', incidentUrlTemplate: 'https://status.example.com/incidents/{id}' },
    jira: {
      projectByFeatureTeam: { Payments: 'PAY' },
      fallbackReporterAccountId: '5c00000000000000000000ff',
    },
  });
  harness = await startTestBot({
    DATABASE_URL: db.url,
    INCIDENT_BOT_CONFIG: mapping,
    ...jiraEnv,
  });
  harness.slack.on('users.info', (args) => ({
    ok: true,
    user: {
      id: args.user,
      profile: { email: args.user === 'U0REPORTER' ? 'user@example.com' : 'nobody@example.com' },
    },
  }));
  harness.slack.on('conversations.info', (args) => ({
    ok: true,
    channel: { id: args.channel, context_team_id: 'T0TEST' },
  }));
});
afterAll(async () => {
  await harness.stop();
  jira.stop();
  await db.drop();
});
beforeEach(async () => {
  await jobsDrained(db.prisma, allTasks);
  jira.reset();
  harness.slack.reset();
});

const declare = (viewId: string, priority: number, impacts: Record<string, string>, details: Details = {}) =>
  declareThroughModal(harness, db.prisma, viewId, priority, impacts, details);

const creates = () => jira.requestsTo('POST', /^\/rest\/api\/[23]\/issue$/);

describe('the ticket, for every priority', () => {
  it('P1: every mapped field, the critical header, reporter from Slack email, then watcher, remote links and Slack links', async () => {
    const incident = await declare(
      'V0JIRAP1',
      1,
      { business_impact: 'HT', customers_impact: 'MD' },
      { customerTicketId: 'ZD-77' },
    );
    await jobsDrained(db.prisma, allTasks);

    // Looked for an existing ticket first, then created exactly one.
    const search = new URL(jira.requestsTo('GET', '/rest/api/3/search/jql')[0]!.path, JIRA_BASE);
    expect(search.searchParams.get('jql')).toBe(
      `labels = "incident-bot-${harness.bot.deps.installation.markerId}-${incident.id}" order by created asc`,
    );
    expect(creates()).toHaveLength(1);
    const { path, body } = creates()[0]!;
    expect(path).toBe('/rest/api/2/issue'); // wiki-markup description → REST v2
    const { fields, properties } = body as { fields: Record<string, unknown>; properties: unknown };
    expect(fields).toEqual({
      project: { key: 'INC' },
      issuetype: { name: 'Incident' },
      summary: 'Checkout returns HTTP 500',
      description: expect.any(String),
      labels: ['incident', `incident-bot-${harness.bot.deps.installation.markerId}-${incident.id}`],
      reporter: { id: '5c0000000000000000000001' },
      customfield_11064: { value: '1' },
      customfield_11049: [{ value: 'PRD' }],
      customfield_10201: [{ value: 'platform-All' }],
      customfield_10936: { value: 'Highest' },
    });
    expect(properties).toEqual([{ key: 'incident-bot', value: { incidentId: incident.id } }]);
    const description = fields.description as string;
    expect(description).toContain('🧯 This incident has been created for a critical incident.');
    expect(description).toContain('📦 Incident category: Payment');
    expect(description).toContain('🌪️ Priority: P1');
    expect(description).toContain('h3. Additional Information');
    expect(description).toContain('* Customer ticket: ZD-77');

    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(ticket).toMatchObject({ key: 'INC-1', projectKey: 'INC', url: `${JIRA_BASE}/browse/INC-1` });

    expect(jira.requestsTo('POST', '/rest/api/3/issue/INC-1/watchers')[0]!.body).toBe(
      '5c0000000000000000000001',
    );
    const links = jira
      .requestsTo('POST', '/rest/api/3/issue/INC-1/remotelink')
      .map((request) => request.body);
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(links).toContainEqual({
      globalId: `incident-bot:incident:${incident.id}`,
      object: {
        url: `https://status.example.com/incidents/${incident.id}`,
        title: `Incident #${incident.id}`,
        summary: 'Checkout returns HTTP 500',
      },
    });
    expect(links).toContainEqual({
      globalId: `incident-bot:slack-channel:${channel.channelId}`,
      object: {
        url: `https://app.slack.com/client/T0TEST/${channel.channelId}`,
        title: `Slack conversation #${channel.name}`,
      },
    });

    const bookmark = harness.slack.callsTo('bookmarks.add').find((call) => call.args.title === 'Jira ticket');
    expect(bookmark!.args).toMatchObject({
      channel_id: channel.channelId,
      link: `${JIRA_BASE}/browse/INC-1`,
    });
    const announcement = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, type: 'announcement' },
    });
    const rendered = [
      ...harness.slack.callsTo('chat.update').filter((call) => call.args.ts === announcement.ts),
      ...harness.slack.callsTo('chat.postMessage').filter((call) => call.args.channel === channel.channelId),
    ].map((call) => String(call.args.blocks));
    expect(rendered.some((blocks) => blocks.includes(`<${JIRA_BASE}/browse/INC-1|Jira ticket INC-1>`))).toBe(
      true,
    );
  });

  it('P5: all values of multi-valued fields, N/A business impact omitted, feature-team project, key in the DM and alert', async () => {
    const incident = await declare(
      'V0JIRAP5',
      5,
      { employees_impact: 'LT' },
      {
        featureTeam: 'Payments',
        environments: ['PRD', 'STG'],
        platforms: ['platform-FR', 'platform-DE'],
      },
    );
    await jobsDrained(db.prisma, allTasks);
    const { fields } = creates()[0]!.body as { fields: Record<string, unknown> };
    expect(fields).toEqual({
      project: { key: 'PAY' },
      issuetype: { name: 'Incident' },
      summary: 'Checkout returns HTTP 500',
      description: expect.any(String),
      labels: ['incident', `incident-bot-${harness.bot.deps.installation.markerId}-${incident.id}`],
      reporter: { id: '5c0000000000000000000001' },
      customfield_11064: { value: '5' },
      customfield_11049: [{ value: 'PRD' }, { value: 'STG' }],
      customfield_10201: [{ value: 'platform-FR' }, { value: 'platform-DE' }],
    });
    expect(fields.description).not.toContain('🧯');
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(ticket.key).toMatch(/^PAY-\d+$/);
    const messages = await db.prisma.slackMessage.findMany({
      where: { incidentId: incident.id, type: { in: ['reporter_notice', 'alert_notice'] } },
    });
    // Both were posted: the loop below checks each carries the key (and cannot pass on none).
    expect(messages.map((message) => message.type).sort()).toEqual(['alert_notice', 'reporter_notice']);
    for (const message of messages) {
      const texts = [
        ...harness.slack.callsTo('chat.update').filter((call) => call.args.ts === message.ts),
        ...harness.slack
          .callsTo('chat.postMessage')
          .filter((call) => call.args.channel === message.channelId || call.args.channel === 'U0REPORTER'),
      ].map((call) => `${String(call.args.text)} ${String(call.args.blocks)}`);
      expect(
        texts.some((text) => text.includes(ticket.key) && text.includes(ticket.url)),
        message.type,
      ).toBe(true);
    }
  });

  it('falls back to the configured account when the reporter has no Jira account', async () => {
    await db.prisma.user.update({
      where: { slackUserId: 'U0REPORTER' },
      data: { jiraAccountId: null, email: null, jiraLookupAt: null },
    });
    jira.users.length = 0;
    await declare('V0JIRAFALLBACK', 3, { customers_impact: 'MD' });
    await jobsDrained(db.prisma, allTasks);
    const { fields } = creates()[0]!.body as { fields: Record<string, unknown> };
    expect(fields.reporter).toEqual({ id: '5c00000000000000000000ff' });
    // No account → no watcher call; the lookup is remembered (retried after a day).
    expect(jira.requestsTo('POST', /watchers$/)).toHaveLength(0);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { slackUserId: 'U0REPORTER' } });
    expect(user.jiraLookupAt).not.toBeNull();
    jira.users.push({ accountId: '5c0000000000000000000001', emailAddress: 'user@example.com' });
    await db.prisma.user.update({ where: { slackUserId: 'U0REPORTER' }, data: { jiraLookupAt: null } });
  });
});

describe('link-back steps are independent', () => {
  it('a bookmark Slack refuses does not stop the announcement edit; the reporter is told', async () => {
    harness.slack.on('bookmarks.add', (args) =>
      args.title === 'Jira ticket'
        ? { ok: false, error: 'too_many_bookmarks' }
        : { ok: true, bookmark: { id: 'Bk0OK' } },
    );
    const incident = await declare('V0BOOKMARKFULL', 2, { customers_impact: 'HI' });
    await jobsDrained(db.prisma, allTasks);
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const announcement = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, type: 'announcement' },
    });
    const shown = [
      ...harness.slack.callsTo('chat.update').filter((call) => call.args.ts === announcement.ts),
      ...harness.slack
        .callsTo('chat.postMessage')
        .filter((call) => call.args.channel === announcement.channelId),
    ].some((call) => String(call.args.blocks).includes(`|Jira ticket ${ticket.key}>`));
    expect(shown).toBe(true);
    const dm = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => String(call.args.text).includes('too_many_bookmarks'));
    expect(dm!.args.channel).toBe('U0REPORTER');
    expect(String(dm!.args.text)).toContain('Linking the Jira ticket in Slack failed: Jira bookmark');
    harness.slack.on('bookmarks.add', () => ({ ok: true, bookmark: { id: 'Bk0OK2' } }));
  });
});

describe('exactly one ticket, whatever happens', () => {
  it('a crash between "Jira created it" and "we stored it" adopts the ticket on retry: still one ticket', async () => {
    // The first store fails right after Jira answered 201, as a crash would leave it. A
    // sequence counts the attempts: nextval() survives the rollback, so only the first fails.
    await db.prisma.$executeRawUnsafe(`create sequence crash_counter`);
    await db.prisma.$executeRawUnsafe(`
      create function fail_first_store() returns trigger as $$
      begin
        if nextval('crash_counter') = 1 then
          raise exception 'simulated crash after Jira created the issue';
        end if;
        return new;
      end $$ language plpgsql`);
    await db.prisma.$executeRawUnsafe(
      `create trigger crash_once before insert on "JiraTicket" for each row execute function fail_first_store()`,
    );
    const incident = await declare('V0CRASH', 2, { customers_impact: 'HI' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-ticket`);
    expect(creates()).toHaveLength(1);
    expect(await db.prisma.jiraTicket.count({ where: { incidentId: incident.id } })).toBe(0);

    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, allTasks);
    expect(creates()).toHaveLength(1);
    expect(
      jira.issues.filter((issue) =>
        issue.labels.includes(`incident-bot-${harness.bot.deps.installation.markerId}-${incident.id}`),
      ),
    ).toHaveLength(1);
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(ticket.key).toBe(
      jira.issues.find((issue) =>
        issue.labels.includes(`incident-bot-${harness.bot.deps.installation.markerId}-${incident.id}`),
      )!.key,
    );
  });

  it('the database refuses a second ticket row for the same incident', async () => {
    const incident = await declare('V0SECONDROW', 3, { customers_impact: 'MD' });
    await jobsDrained(db.prisma, allTasks);
    expect(await db.prisma.jiraTicket.count({ where: { incidentId: incident.id } })).toBe(1);
    await expect(
      db.prisma.jiraTicket.create({
        data: { incidentId: incident.id, jiraId: '99999', key: 'INC-999', projectKey: 'INC', url: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });
});

describe('when Jira fails', () => {
  it('503: the channel hears "Jira is unreachable" once, the job retries, and the notice becomes "Jira ticket created"', async () => {
    jira.fail('create', { status: 503, body: { errorMessages: ['Service Unavailable'] } });
    const incident = await declare('V0JIRA503', 2, { customers_impact: 'HI' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-ticket`);
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const notice = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, type: 'jira_delay_notice' },
    });
    // In this incident's channel: the previous test's ticket sync (not in allTasks) can still
    // post its own "Jira is unreachable" notice into its channel after the reset.
    const posted = harness.slack
      .callsTo('chat.postMessage')
      .filter(
        (call) =>
          call.args.channel === notice.channelId && String(call.args.text).includes('Jira is unreachable'),
      );
    expect(posted).toHaveLength(1);
    expect(String(posted[0]!.args.text)).toContain(
      'Jira is unreachable, ticket will be created automatically',
    );

    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, allTasks);
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const edit = harness.slack.callsTo('chat.update').find((call) => call.args.ts === notice.ts);
    expect(String(edit!.args.text)).toBe(
      `:white_check_mark: Jira ticket created: <${ticket.url}|${ticket.key}>`,
    );
    expect(creates()).toHaveLength(2);
  });

  it('429 with Retry-After: rescheduled for when Jira said, then created', async () => {
    jira.fail('create', { status: 429, body: {}, headers: { 'retry-after': '120' } });
    const before = Date.now();
    const incident = await declare('V0JIRA429', 3, { customers_impact: 'MD' });
    const key = `incident:${incident.id}:jira-ticket`;
    const rescheduled = await (async () => {
      for (let i = 0; i < 500; i += 1) {
        const rows = await db.prisma.$queryRaw<{ run_at: Date; attempts: number }[]>`
          select run_at, attempts from graphile_worker._private_jobs where key = ${key} and attempts = 0 and locked_at is null and run_at > now()`;
        if (rows[0]) return rows[0];
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('not rescheduled');
    })();
    const delay = rescheduled.run_at.getTime() - before;
    expect(delay).toBeGreaterThanOrEqual(115_000);
    expect(delay).toBeLessThan(130_000);
    expect(creates()).toHaveLength(1);

    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, allTasks);
    expect(await db.prisma.jiraTicket.count({ where: { incidentId: incident.id } })).toBe(1);
  });

  it('401: the credentials message, recorded, and no retry storm', async () => {
    jira.failAlways('create', { status: 401, body: fixture('rest-401-unauthenticated.json') });
    const incident = await declare('V0JIRA401', 4, { business_impact: 'LO' }, { featureTeam: 'Platform' });
    await jobsDrained(db.prisma, allTasks);
    expect(creates()).toHaveLength(1);
    expect(await pendingJobs(db.prisma, `incident:${incident.id}:jira`)).toEqual([]);
    const note = await db.prisma.incidentUpdate.findFirstOrThrow({
      where: { incidentId: incident.id, message: { contains: 'Jira ticket creation failed' } },
    });
    expect(note.message).toContain(
      "Invalid Credentials: the API token must belong to the configured email's account (bot@example.com)",
    );
    const dm = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => String(call.args.text).includes('Invalid Credentials'));
    expect(dm!.args.channel).toBe('U0REPORTER');
  });

  it('400 with field errors: the field names are in the message', async () => {
    jira.failAlways('create', {
      status: 400,
      body: fixture('rest-v3-create-issue-400-field-not-on-screen.json'),
    });
    const incident = await declare('V0JIRA400', 2, { customers_impact: 'HI' });
    await jobsDrained(db.prisma, allTasks);
    expect(creates()).toHaveLength(1);
    const note = await db.prisma.incidentUpdate.findFirstOrThrow({
      where: { incidentId: incident.id, message: { contains: 'Jira ticket creation failed' } },
    });
    expect(note.message).toContain("customfield_11623: Field 'customfield_11623' cannot be set");
    expect(note.message).toContain('summary:');
    const notice = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId: incident.id, type: 'jira_delay_notice' },
    });
    const posted = harness.slack.calls.filter(
      (call) =>
        call.args.ts === notice.ts ||
        (call.method === 'chat.postMessage' && String(call.args.text).includes('could not be created')),
    );
    expect(posted.map((call) => String(call.args.text)).join(' ')).toContain('customfield_11623');
  });
});
