import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBot, type BotProcess } from '../support/botProcess.js';
import { eventually } from '../support/eventually.js';
import { FakeSlack } from '../support/fakeSlack.js';
import { fixtureText } from '../support/fixtures.js';
import { postJiraWebhook, WEBHOOK_SECRET } from '../support/jiraWebhooks.js';
import { settleJobs } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal, detailsSubmission } from '../support/openFlowPayloads.js';
import { interactiveBody, postSigned, SIGNING_SECRET, slashCommandBody } from '../support/slackRequests.js';
import { answerPeople, syncTasks } from '../support/syncHarness.js';
import { proxyDatabase, type TcpProxy } from '../support/tcpProxy.js';
import { scratchDir } from '../support/tempDir.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/**
 * The database goes away for 10 s while people and Jira keep sending: every request is answered
 * (Slack: 200 with a clear message; Jira: 503, which it retries; /healthz: 503), the process
 * stays up, and when the database is back the work resumes by itself — nothing lost.
 */
const OUTAGE_MS = Number(process.env.DB_OUTAGE_MS ?? 10_000);

let db: TestDatabase;
let proxy: TcpProxy;
let slack: FakeSlack;
let bot: BotProcess;
let baseUrl = '';

beforeAll(async () => {
  db = await createTestDatabase();
  const proxied = await proxyDatabase(db.url);
  proxy = proxied.proxy;
  slack = await new FakeSlack().start();
  answerPeople(slack);
  bot = spawnBot({
    dataDir: scratchDir(),
    slackUrl: slack.url,
    env: {
      DATABASE_URL: proxied.url,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      INCIDENT_BOT_CONFIG: writeMappingFile({ slack: { alertChannelId: 'C0ALERTS' } }),
      JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      WORKER_POLL_INTERVAL_MS: '200',
      WORKER_HEARTBEAT_INTERVAL_MS: '200',
      WORKER_HEARTBEAT_TIMEOUT_MS: '2000',
      EFFECTS_DEBOUNCE_MS: '0',
    },
  });
  baseUrl = `http://127.0.0.1:${await bot.up()}`;
}, 120_000);
afterAll(async () => {
  bot?.child.kill('SIGTERM');
  await bot?.exited;
  await slack?.stop();
  await proxy?.stop();
  await db?.drop();
});

type Answer = { what: string; status: number; body: string };

/** One round of what people and Jira send, each answer kept. */
async function traffic(round: number): Promise<Answer[]> {
  const answer = async (what: string, response: Promise<Response>) => {
    const settled = await response;
    return { what, status: settled.status, body: await settled.text() };
  };
  return Promise.all([
    answer('help', postSigned(baseUrl, slashCommandBody({ text: 'help' }))),
    answer('status', postSigned(baseUrl, slashCommandBody({ text: 'status' }))),
    answer(
      'declare',
      postSigned(
        baseUrl,
        interactiveBody(detailsSubmission(`V0AWAY${round}`, 3, { customers_impact: 'MD' })),
      ),
    ),
    answer(
      'jira webhook',
      postJiraWebhook(baseUrl, fixtureText('jira/issue_updated-summary.json'), { id: `away-${round}` }),
    ),
    answer('healthz', fetch(`${baseUrl}/healthz`)),
  ]);
}

describe('the database going away for 10 s under load', () => {
  it('every request answered clearly, no crash, and the work resumes by itself', async () => {
    const before = await declareThroughModal({ baseUrl }, db.prisma, 'V0BEFORE', 3, {
      customers_impact: 'MD',
    });
    proxy.down();
    const started = Date.now();
    const answers: Answer[] = [];
    let round = 0;
    while (Date.now() - started < OUTAGE_MS) answers.push(...(await traffic((round += 1))));
    proxy.up();

    expect(bot.child.exitCode).toBeNull();
    for (const answer of answers) {
      if (answer.what === 'healthz' || answer.what === 'jira webhook') {
        // Jira retries a 5xx; a monitor reads 503 as "not ready". Both with a readable body.
        expect([answer.what, answer.status]).toEqual([answer.what, 503]);
      } else {
        expect([answer.what, answer.status]).toEqual([answer.what, 200]);
      }
    }
    const said = (what: string) =>
      answers.filter((answer) => answer.what === what).map((answer) => answer.body);
    expect(said('declare').every((body) => body.includes('database unavailable'))).toBe(true);
    expect(said('status').every((body) => body.includes('database is not answering'))).toBe(true);
    expect(round).toBeGreaterThan(1);

    // Back: healthy again, the incident declared just before the outage gets its channel, and a
    // declaration made now works.
    await eventually(
      () => fetch(`${baseUrl}/healthz`).then((response) => response.status),
      (status) => status === 200,
      30_000,
    );
    const after = await declareThroughModal({ baseUrl }, db.prisma, 'V0AFTER', 3, { customers_impact: 'MD' });
    await settleJobs(db.prisma, syncTasks);
    for (const incident of [before, after]) {
      expect(await db.prisma.slackChannel.count({ where: { incidentId: incident.id } })).toBe(1);
    }
    expect(bot.child.exitCode).toBeNull();
  }, 180_000);
});
