import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBot, type BotProcess } from '../support/botProcess.js';
import { JIRA_BASE, jiraEnv } from '../support/fakeJira.js';
import { JiraWithWorkflow } from '../support/fakeJiraSync.js';
import { FakeSlack } from '../support/fakeSlack.js';
import { frontFor, type FrontCall, type HttpFront } from '../support/httpFront.js';
import { settleJobs } from '../support/jobs.js';
import { postJiraWebhook, WEBHOOK_SECRET } from '../support/jiraWebhooks.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal } from '../support/openFlowPayloads.js';
import { interactiveBody, postSigned, SIGNING_SECRET } from '../support/slackRequests.js';
import { addPeople, answerPeople, syncTasks } from '../support/syncHarness.js';
import { scratchDir } from '../support/tempDir.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { keyEventsSubmission, submitUpdate } from '../support/updatePayloads.js';

/**
 * `kill -9` of the bot process in the middle of each kind of job — while its call to Slack or
 * Jira is in flight and has already taken effect there (the worst moment: the work is done, the
 * bot never learns it) — then a restart on the same database: every pending side effect
 * completes, exactly once.
 */
let db: TestDatabase;
let slack: FakeSlack;
let slackFront: HttpFront;
let jiraFront: HttpFront;
let bot: BotProcess;
let baseUrl = '';
const jira = new JiraWithWorkflow();

function startBot(): Promise<number> {
  bot = spawnBot({
    dataDir: scratchDir(),
    slackUrl: `${slackFront.url}/api`,
    env: {
      DATABASE_URL: db.url,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      INCIDENT_BOT_CONFIG: writeMappingFile({ slack: { alertChannelId: 'C0ALERTS' } }),
      ...jiraEnv,
      JIRA_BASE_URL: jiraFront.url,
      JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      JIRA_SEARCH_LAG_MS: '300',
      WORKER_POLL_INTERVAL_MS: '100',
      // A killed worker's locks are released once its heartbeat is a second old (not 40 s).
      WORKER_HEARTBEAT_INTERVAL_MS: '200',
      WORKER_HEARTBEAT_TIMEOUT_MS: '1000',
      EFFECTS_DEBOUNCE_MS: '0',
    },
  });
  return bot.up();
}

beforeAll(async () => {
  db = await createTestDatabase();
  jira.start();
  addPeople(jira);
  slack = await new FakeSlack().start();
  answerPeople(slack);
  slackFront = await frontFor(slack.url.replace(/\/api$/, '')).start();
  jiraFront = await frontFor(JIRA_BASE).start();
  baseUrl = `http://127.0.0.1:${await startBot()}`;
}, 120_000);
afterAll(async () => {
  bot?.child.kill('SIGKILL');
  await bot?.exited;
  await slackFront?.stop();
  await jiraFront?.stop();
  await slack?.stop();
  jira.stop();
  await db?.drop();
});

const settle = () => settleJobs(db.prisma, syncTasks);

/**
 * Do `act`; when a call matching `matches` reaches the service, let it take effect there, then
 * kill -9 the bot before the answer arrives; start a new bot on the same database; settle.
 */
async function killDuring(
  front: HttpFront,
  matches: (call: FrontCall) => boolean,
  act: () => Promise<unknown>,
): Promise<void> {
  const inFlight = front.fault(matches, { kind: 'hang', apply: true });
  await act();
  await inFlight;
  bot.child.kill('SIGKILL');
  await bot.exited;
  front.dropHeld();
  baseUrl = `http://127.0.0.1:${await startBot()}`;
  await settle();
}

const slackCall =
  (method: string, also: (args: URLSearchParams) => boolean = () => true) =>
  (call: FrontCall) =>
    call.path === `/api/${method}` && also(new URLSearchParams(call.body));
const jiraCall = (method: string, path: RegExp) => (call: FrontCall) =>
  call.method === method && path.test(call.path.split('?')[0]!);

const ticketsOf = (incidentId: number) =>
  jira.issues.filter((issue) =>
    issue.labels.some((label) => new RegExp(`^incident-bot-(?!.*-pm-).+-${incidentId}$`).test(label)),
  );
const postMortemsOf = (incidentId: number) =>
  jira.issues.filter((issue) => issue.labels.some((label) => label.endsWith(`-pm-${incidentId}`)));
const channelsOf = (incidentId: number) =>
  [...slack.channels.keys()].filter((name) => new RegExp(`^\\d{8}-${incidentId}(-|$)`).test(name));
const historyWith = (channelId: string, text: string) =>
  (slack.history.get(channelId) ?? []).filter((message) => String(message.text).includes(text));

describe('kill -9 in the middle of each kind of job, then a restart', () => {
  it('channel, ticket, sync edit and transition, a Jira change, post-mortem and its bookmark, archive: each done exactly once', async () => {
    const declare = (viewId: string) =>
      declareThroughModal({ baseUrl }, db.prisma, viewId, 1, { customers_impact: 'HT' });

    // create_incident_channel: conversations.create took effect, the answer never came.
    let incident = { id: 0 };
    await killDuring(slackFront, slackCall('conversations.create'), async () => {
      incident = await declare('V0KILL1');
    });
    expect(channelsOf(incident.id)).toHaveLength(1);
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(
      await db.prisma.slackMessage.count({ where: { incidentId: incident.id, type: 'announcement' } }),
    ).toBe(1);

    // create_jira_ticket: the issue was made in Jira, the answer never came.
    let second = { id: 0 };
    await killDuring(jiraFront, jiraCall('POST', /^\/rest\/api\/[23]\/issue$/), async () => {
      second = await declare('V0KILL2');
    });
    expect(ticketsOf(second.id)).toHaveLength(1);
    expect((await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: second.id } })).key).toBe(
      ticketsOf(second.id)[0]!.key,
    );

    // sync_jira_ticket: the edit was made in Jira, the answer never came.
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    await killDuring(jiraFront, jiraCall('PUT', /^\/rest\/api\/2\/issue\/[^/]+$/), () =>
      submitUpdate({ baseUrl }, db.prisma, incident.id, { title: 'Checkout fails after kill' }),
    );
    expect(jira.snapshot(ticket.key).fields.summary).toBe('Checkout fails after kill');

    // The workflow walk: a transition made, its answer lost with the process.
    await killDuring(jiraFront, jiraCall('POST', /\/transitions$/), () =>
      submitUpdate({ baseUrl }, db.prisma, incident.id, { status: 'INVESTIGATING' }),
    );
    expect(jira.status(ticket.key)).toBe('in progress');

    // apply_jira_delivery: a change made in Jira, posted in the channel, killed before the answer.
    const webhook = jira.humanChange(ticket.key, { summary: 'Renamed in Jira' });
    await killDuring(
      slackFront,
      slackCall('chat.postMessage', (args) => args.get('channel') === channel.channelId),
      () => postJiraWebhook(baseUrl, webhook.body, { id: webhook.id }),
    );
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).title).toBe(
      'Renamed in Jira',
    );
    expect(historyWith(channel.channelId, 'from Jira')).toHaveLength(1);

    // create_postmortem: the post-mortem made in Jira, the answer never came.
    await submitUpdate({ baseUrl }, db.prisma, incident.id, { status: 'MITIGATING' });
    await settle();
    await killDuring(
      jiraFront,
      (call) => jiraCall('POST', /^\/rest\/api\/[23]\/issue$/)(call) && call.body.includes('"Post-mortem"'),
      () => submitUpdate({ baseUrl }, db.prisma, incident.id, { status: 'MITIGATED' }),
    );
    expect(postMortemsOf(incident.id)).toHaveLength(1);
    const postMortem = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(postMortem.key).toBe(postMortemsOf(incident.id)[0]!.key);
    expect(historyWith(channel.channelId, 'The post-mortem has been created')).toHaveLength(1);

    // finish_postmortem, on the second incident: its bookmark added, the answer never came.
    const secondChannel = await db.prisma.slackChannel.findUniqueOrThrow({
      where: { incidentId: second.id },
    });
    for (const status of ['INVESTIGATING', 'MITIGATING']) {
      await submitUpdate({ baseUrl }, db.prisma, second.id, { status });
      await settle();
    }
    await killDuring(
      slackFront,
      slackCall('bookmarks.add', (args) => String(args.get('title')).startsWith('Postmortem')),
      () => submitUpdate({ baseUrl }, db.prisma, second.id, { status: 'MITIGATED' }),
    );
    const bookmarks = (slack.bookmarks.get(secondChannel.channelId) ?? []).filter((bookmark) =>
      String(bookmark.title).startsWith('Postmortem'),
    );
    expect(bookmarks).toHaveLength(1);

    // archive_incident_channel: the channel archived, the answer never came.
    const now = Math.floor(Date.now() / 1000);
    const updates = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: { notIn: ['KEY_EVENT', 'NOTE'] } },
    });
    await postSigned(
      baseUrl,
      interactiveBody(
        keyEventsSubmission(incident.id, updates, { STARTED: now - 5400, DETECTED: now - 4800 }),
      ),
    );
    await submitUpdate({ baseUrl }, db.prisma, incident.id, { status: 'POST_MORTEM' });
    await settle();
    jira.humanChange(postMortem.key, { status: 'Ready' });
    await killDuring(slackFront, slackCall('conversations.archive'), async () => {
      const answer = await submitUpdate({ baseUrl }, db.prisma, incident.id, { status: 'CLOSED' });
      expect(answer.response_action).toBe('clear');
    });
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'CLOSED',
    );
    expect(jira.status(ticket.key)).toBe('Closed');

    // Nothing was made twice anywhere, for either incident.
    expect(ticketsOf(incident.id)).toHaveLength(1);
    expect(channelsOf(incident.id)).toHaveLength(1);
    expect(channelsOf(second.id)).toHaveLength(1);
    expect(postMortemsOf(second.id)).toHaveLength(1);
    expect(historyWith(channel.channelId, 'The post-mortem has been created')).toHaveLength(1);
  }, 600_000);
});
