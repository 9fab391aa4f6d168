import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeJira, jiraEnv } from '../support/fakeJira.js';
import { jobAwaitingRetry, jobsDrained, runDueJobsNow } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal, reporter } from '../support/openFlowPayloads.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const FALLBACK = '5c00000000000000000000ff';
const HIDDEN_ACCOUNT = '5c0000000000000000000042';
const tasks = [
  'create_jira_ticket',
  'add_jira_watcher',
  'add_jira_remote_links',
  'link_jira_in_slack',
  'notify_normal_incident',
];

let db: TestDatabase;
let harness: TestBot;
const jira = new FakeJira();
let usersInfo: (user: string) => Record<string, unknown>;

beforeAll(async () => {
  db = await createTestDatabase();
  jira.start();
  // Jira Cloud hides this user's email, as it does for most people.
  jira.users.push({ accountId: HIDDEN_ACCOUNT, hiddenEmail: 'hidden@example.com', displayName: 'Hidden' });
  jira.users.push({ accountId: '5c00000000000000000000a1', hiddenEmail: 'twin@example.com' });
  jira.users.push({ accountId: '5c00000000000000000000a2', hiddenEmail: 'twin@example.com.au' });
  const mapping = writeMappingFile({
    slack: { alertChannelId: 'C0ALERTS' },
    jira: { fallbackReporterAccountId: FALLBACK },
  });
  harness = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping, ...jiraEnv });
  harness.slack.on('users.info', (args) => usersInfo(String(args.user)));
});
afterAll(async () => {
  await harness.stop();
  jira.stop();
  await db.drop();
});
beforeEach(async () => {
  await jobsDrained(db.prisma, tasks);
  jira.reset();
  harness.slack.reset();
  await db.prisma.user.updateMany({ data: { jiraAccountId: null, jiraLookupAt: null, email: null } });
});

const emailIs = (email: string) => () => ({ ok: true, user: { id: reporter.id, profile: { email } } });
const createdReporters = () =>
  jira
    .requestsTo('POST', /^\/rest\/api\/[23]\/issue$/)
    .map(
      (request) =>
        ((request.body as { fields: Record<string, unknown> }).fields.reporter as { id: string } | undefined)
          ?.id,
    );
const declare = (viewId: string) =>
  declareThroughModal(harness, db.prisma, viewId, 4, { business_impact: 'LO' }, { featureTeam: 'Platform' });

describe('Jira users as Jira Cloud really behaves', () => {
  it('a hidden email: the single account Jira matches is the reporter', async () => {
    usersInfo = emailIs('hidden@example.com');
    await declare('V0HIDDEN');
    await jobsDrained(db.prisma, tasks);
    expect(createdReporters()).toEqual([HIDDEN_ACCOUNT]);
  });

  it('a hidden email matching several accounts is not guessed: the fallback is used', async () => {
    usersInfo = emailIs('twin@example.com');
    await declare('V0TWINS');
    await jobsDrained(db.prisma, tasks);
    expect(createdReporters()).toEqual([FALLBACK]);
  });

  it('a transient lookup failure is retried instead of pinning the fallback reporter on the ticket', async () => {
    usersInfo = () => ({ status: 503, body: { ok: false, error: 'service_unavailable' } });
    const incident = await declare('V0LOOKUPDOWN');
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-ticket`);
    expect(createdReporters()).toEqual([]);
    usersInfo = emailIs('hidden@example.com');
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, tasks);
    expect(createdReporters()).toEqual([HIDDEN_ACCOUNT]);
  });

  it('a stored account Jira no longer knows: the ticket is created without a reporter, noted, and the account forgotten', async () => {
    await db.prisma.user.update({
      where: { slackUserId: reporter.id },
      data: { jiraAccountId: '5c0000000000000000dead00' },
    });
    jira.fail('create', {
      status: 400,
      body: {
        errorMessages: [],
        errors: { reporter: 'Specified user does not exist or you do not have required permissions' },
      },
    });
    const incident = await declare('V0GONEUSER');
    await jobsDrained(db.prisma, tasks);
    expect(createdReporters()).toEqual(['5c0000000000000000dead00', undefined]);
    expect(await db.prisma.jiraTicket.count({ where: { incidentId: incident.id } })).toBe(1);
    const note = await db.prisma.incidentUpdate.findFirstOrThrow({
      where: { incidentId: incident.id, message: { contains: 'Jira refused the reporter' } },
    });
    expect(note.message).toContain('Specified user does not exist');
    expect(
      (await db.prisma.user.findUniqueOrThrow({ where: { slackUserId: reporter.id } })).jiraAccountId,
    ).toBeNull();
  });

  it('a reporter field the bot may not set does not block the ticket, and no one is told to fix the mapping', async () => {
    usersInfo = emailIs('hidden@example.com');
    jira.fail('create', {
      status: 400,
      body: {
        errorMessages: [],
        errors: {
          reporter: "Field 'reporter' cannot be set. It is not on the appropriate screen, or unknown.",
        },
      },
    });
    const incident = await declare('V0NOREPORTERFIELD');
    await jobsDrained(db.prisma, tasks);
    expect(createdReporters()).toEqual([HIDDEN_ACCOUNT, undefined]);
    expect(await db.prisma.jiraTicket.count({ where: { incidentId: incident.id } })).toBe(1);
    const texts = harness.slack.callsTo('chat.postMessage').map((call) => String(call.args.text));
    for (const text of texts) expect(text).not.toContain('mapping');
  });
});
