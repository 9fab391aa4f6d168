import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/deps.js';
import { findOrCreateOnce } from '../../src/jobs/effects/createOnce.js';
import { FakeJira, jiraEnv } from '../support/fakeJira.js';
import { jobAwaitingRetry, jobsDrained, nextJobEvent, runDueJobsNow } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal } from '../support/openFlowPayloads.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** Jira's search may lag this long behind a create (the bot's consistency window). */
const LAG_MS = 60_000;
const followUps = [
  'add_jira_watcher',
  'add_jira_remote_links',
  'link_jira_in_slack',
  'notify_normal_incident',
];

let db: TestDatabase;
let harness: TestBot;
const jira = new FakeJira();
const mapping = writeMappingFile({ slack: { alertChannelId: 'C0ALERTS' } });

beforeAll(async () => {
  db = await createTestDatabase();
  jira.start();
  harness = await startTestBot({
    DATABASE_URL: db.url,
    INCIDENT_BOT_CONFIG: mapping,
    ...jiraEnv,
    JIRA_SEARCH_LAG_MS: String(LAG_MS),
  });
});
afterAll(async () => {
  await harness.stop();
  jira.stop();
  await db.drop();
});
beforeEach(async () => {
  await jobsDrained(db.prisma, ['create_jira_ticket', ...followUps]);
  jira.reset();
});

const creates = () => jira.requestsTo('POST', /^\/rest\/api\/[23]\/issue$/);
const declareP4 = (viewId: string, bot: TestBot = harness, database: TestDatabase = db) =>
  declareThroughModal(
    bot,
    database.prisma,
    viewId,
    4,
    { business_impact: 'LO' },
    { featureTeam: 'Platform' },
  );
/** Let the consistency window pass, as a controllable clock would. */
const windowPassed = (incidentId: number) =>
  db.prisma.createIntent.update({
    where: { key: `jira-ticket:${incidentId}` },
    data: { lastAttemptAt: new Date(Date.now() - LAG_MS - 1000) },
  });

describe('a create whose answer was lost is an unknown outcome, not a failure', () => {
  it('with a lagging search index, the retry waits and searches instead of creating a second ticket', async () => {
    jira.lagSearch().loseCreateAnswers(1);
    const incident = await declareP4('V0LOST1');
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-ticket`);
    expect(creates()).toHaveLength(1);
    expect(jira.issues).toHaveLength(1); // Jira made it; we never heard.

    // Retry inside the window: the index still lags, so the search finds nothing — and the bot
    // must not create again.
    const rescheduled = nextJobEvent(harness.bot.worker.runner, 'job:complete', 'create_jira_ticket');
    await runDueJobsNow(db.prisma);
    await rescheduled;
    expect(creates()).toHaveLength(1);
    expect(await db.prisma.jiraTicket.count({ where: { incidentId: incident.id } })).toBe(0);

    // The index catches up: the next look adopts the ticket Jira made.
    jira.catchUpSearch();
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, ['create_jira_ticket']);
    expect(creates()).toHaveLength(1);
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(ticket.key).toBe(jira.issues[0]!.key);
    expect(await db.prisma.createIntent.count()).toBe(0);
  });

  it('once the window has passed with nothing found, it creates again (the first create never landed)', async () => {
    jira.fail('create', { status: 503, body: { errorMessages: ['Service Unavailable'] } });
    const issuesBefore = jira.issues.length;
    const incident = await declareP4('V0LOST2');
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-ticket`);
    expect(jira.issues).toHaveLength(issuesBefore);
    await windowPassed(incident.id);
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, ['create_jira_ticket']);
    expect(creates()).toHaveLength(2);
    expect(jira.issues).toHaveLength(issuesBefore + 1);
    expect(await db.prisma.jiraTicket.count({ where: { incidentId: incident.id } })).toBe(1);
  });

  it('a 400 proves nothing was made: no waiting, the intent is cleared', async () => {
    jira.fail('create', { status: 400, body: { errorMessages: [], errors: { summary: 'Field required' } } });
    const incident = await declareP4('V0REFUSED');
    await jobsDrained(db.prisma, ['create_jira_ticket']);
    expect(await db.prisma.createIntent.count({ where: { key: `jira-ticket:${incident.id}` } })).toBe(0);
  });
});

describe('two attempts side by side', () => {
  it('both searching before either creates: exactly one creates, the other waits and searches again', async () => {
    // Two jobs for one incident at once (two processes, or a request made while an attempt ran):
    // both searches come back empty before either has recorded its attempt.
    let searches = 0;
    let bothSearched: () => void = () => undefined;
    const searched = new Promise<void>((resolve) => (bothSearched = resolve));
    const deps = {
      prisma: db.prisma,
      config: { env: { JIRA_SEARCH_LAG_MS: LAG_MS } },
      jira: {
        async findIssuesByLabel() {
          searches += 1;
          if (searches === 2) bothSearched();
          await searched;
          return [];
        },
      },
    } as unknown as AppDeps;
    let created = 0;
    const attempt = () =>
      findOrCreateOnce(deps, {
        intentKey: 'side-by-side',
        label: 'incident-side-by-side',
        what: 'the ticket',
        create: async () => ({ issue: { id: String(10_000 + ++created), key: `INC-${created}` } }),
      });
    const outcomes = await Promise.allSettled([attempt(), attempt()]);
    expect(created).toBe(1);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'JIRA_OUTCOME_UNKNOWN', retryable: true });
    expect((refused.reason as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(LAG_MS - 10_000);
  });
});

describe('two installations sharing one Jira site', () => {
  it('never adopt each other\u2019s tickets, even for the same incident number', async () => {
    const otherDb = await createTestDatabase();
    const other = await startTestBot({ DATABASE_URL: otherDb.url, INCIDENT_BOT_CONFIG: mapping, ...jiraEnv });
    try {
      const theirs = await declareP4('V0OTHER', other, otherDb);
      await jobsDrained(otherDb.prisma, ['create_jira_ticket']);
      const ours = await declareP4(`V0OURS${theirs.id}`);
      await jobsDrained(db.prisma, ['create_jira_ticket']);
      const theirTicket = await otherDb.prisma.jiraTicket.findUniqueOrThrow({
        where: { incidentId: theirs.id },
      });
      const ourTicket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: ours.id } });
      expect(ourTicket.key).not.toBe(theirTicket.key);
      expect(other.bot.deps.installation.markerId).not.toBe(harness.bot.deps.installation.markerId);
      expect(creates()).toHaveLength(2);
    } finally {
      await jobsDrained(otherDb.prisma, followUps);
      await other.stop();
      await otherDb.drop();
    }
  });
});
