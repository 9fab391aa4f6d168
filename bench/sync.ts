/**
 * `npm run bench:sync` (and part of `npm run bench`): what a responder waits for end to end,
 * through the bot as `npm start` runs it, against the fake Slack and the workflow fake Jira on
 * real sockets (HTTP fronts), Jira sending its own signed webhooks as changes happen.
 *
 *   Jira edit → Slack message   a person renames the ticket in Jira → the channel's update
 *                                message reaches Slack (fakes at zero latency)
 *   open → everything           the declare modal is submitted → channel created, announcement
 *                                pinned, Jira ticket created, "Jira ticket" bookmark added, with
 *                                every Slack and Jira call taking BENCH_API_LATENCY_MS (50)
 *
 * BENCH_SYNC_EDITS (100) and BENCH_OPENS (20) samples, sequential, after a warm-up. Prints the
 * rows, and one `BENCH_ROWS <json>` line that bench/run.ts adds to its table.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../src/db/embedded.js';
import { JIRA_BASE, jiraEnv } from '../test/support/fakeJira.js';
import { JANE, JiraWithWorkflow } from '../test/support/fakeJiraSync.js';
import { FakeSlack } from '../test/support/fakeSlack.js';
import { frontFor } from '../test/support/httpFront.js';
import { JiraWebhookEmitter } from '../test/support/jiraWebhookEmitter.js';
import { writeMappingFile } from '../test/support/mappingFile.js';
import { ensureBuilt, npmScriptArgs } from '../test/support/npmScript.js';
import { detailsSubmission } from '../test/support/openFlowPayloads.js';
import { interactiveBody } from '../test/support/slackRequests.js';
import { addPeople, answerPeople } from '../test/support/syncHarness.js';
import { healthy, start } from './lib/processes.js';
import { percentiles } from './lib/load.js';

const EDITS = Number(process.env.BENCH_SYNC_EDITS ?? 100);
const OPENS = Number(process.env.BENCH_OPENS ?? 20);
const API_LATENCY_MS = Number(process.env.BENCH_API_LATENCY_MS ?? 50);
const SIGNING_SECRET = 'bench-signing-secret';
const WEBHOOK_SECRET = 'bench-webhook-secret';

const signedSlack = (body: string) => {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
  };
};

ensureBuilt();
const work = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-bench-sync-'));
const jira = new JiraWithWorkflow();
addPeople(jira);
jira.start();
const slack = await new FakeSlack().start();
answerPeople(slack);
const slackFront = await frontFor(slack.url.replace(/\/api$/, '')).start();
const jiraFront = await frontFor(JIRA_BASE).start();
const botPort = await findFreePort();
const botUrl = `http://127.0.0.1:${botPort}`;
// BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=prof`) profiles the bot under this load.
const bot = start(
  process.execPath,
  [...(process.env.BENCH_NODE_ARGS?.split(' ') ?? []), ...npmScriptArgs('start')],
  {
    PORT: String(botPort),
    DATA_DIR: path.join(work, '.data'),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${slackFront.url}/api`,
    INCIDENT_BOT_CONFIG: writeMappingFile({ slack: { alertChannelId: 'C0ALERTS' } }),
    ...jiraEnv,
    JIRA_BASE_URL: jiraFront.url,
    JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
    // BENCH_LOG_LEVEL=debug and BENCH_BOT_LOG=<file>: the bot's log, to see where time goes.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  },
);
const emitter = new JiraWebhookEmitter(jira, () => botUrl, {}, WEBHOOK_SECRET).start();

/** A sample that never completes is a finding, not a hang: fail, saying what was awaited. */
function within<T>(promise: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: nothing after ${ms} ms; the bot said:\n${bot.output().slice(-3000)}`)),
      ms,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

let views = 0;
/** Submit the declare modal (details step) for a P3: one incident with a channel and a ticket. */
async function declare(): Promise<void> {
  const body = interactiveBody(
    detailsSubmission(`V0BENCHSYNC${(views += 1)}`, 3, { customers_impact: 'MD' }),
  );
  const response = await fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: signedSlack(body),
    body,
  });
  const text = await response.text();
  if (!text.includes('clear')) throw new Error(`declare refused: ${text}`);
}

/** Declare, and time each milestone of the open from the submission (ms). */
async function timedOpen() {
  const started = performance.now();
  const since = (promise: Promise<unknown>) => promise.then(() => performance.now() - started);
  const channel = since(slack.nextCall('conversations.create'));
  const pinned = since(slack.nextCall('pins.add'));
  const bookmarked = since(slack.nextCall('bookmarks.add', (args) => args.title === 'Jira ticket'));
  const ticket = since(
    jiraFront.nextAnswered((call) => call.method === 'POST' && /^\/rest\/api\/[23]\/issue$/.test(call.path)),
  );
  await declare();
  const ack = performance.now() - started;
  const [channelMs, pinnedMs, ticketMs, bookmarkedMs] = await within(
    Promise.all([channel, pinned, ticket, bookmarked]),
    'open → channel, pin, ticket and bookmark',
  );
  return {
    ack,
    channelMs,
    pinnedMs,
    ticketMs,
    bookmarkedMs,
    all: Math.max(pinnedMs, ticketMs, bookmarkedMs),
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const rows: string[][] = [];
try {
  await healthy(`${botUrl}/healthz`, bot);

  // Jira edit → Slack message, at zero latency.
  await timedOpen(); // an incident to edit, and a warm bot
  const key = jira.issues.at(-1)!.key;
  const editLatencies: number[] = [];
  // Milestones of each edit, from the edit: where the time goes.
  const milestones = { webhookAcked: [] as number[], jiraRead: [] as number[] };
  for (let i = 0; i < EDITS + 10; i += 1) {
    const title = `Renamed in Jira ${i}`;
    const posted = slack.nextCall('chat.postMessage', (args) => JSON.stringify(args).includes(title));
    const started = performance.now();
    const acked = new Promise<number>((resolve) => {
      emitter.onAttempt = () => resolve(performance.now() - started);
    });
    const read = jiraFront
      .nextAnswered((call) => call.method === 'GET' && call.path.includes(`/issue/${key}`))
      .then(() => performance.now() - started);
    jira.humanChange(key, { summary: title }, JANE);
    await within(posted, `Jira edit ${i} → Slack message`);
    if (i >= 10) {
      editLatencies.push(performance.now() - started);
      milestones.webhookAcked.push(await acked);
      milestones.jiraRead.push(await read);
    }
  }
  emitter.onAttempt = undefined;
  const edits = percentiles(editLatencies);
  rows.push([
    'Jira edit → Slack message',
    '–',
    ms(edits.p50),
    ms(edits.p99),
    '0',
    `webhook → record → job → read Jira → change → post (${EDITS} edits, zero-latency fakes); medians: webhook acked ${ms(percentiles(milestones.webhookAcked).p50)}, Jira read ${ms(percentiles(milestones.jiraRead).p50)}`,
  ]);

  // Open → channel + pinned announcement + ticket + bookmark, every API at 50 ms.
  slackFront.latencyMs = API_LATENCY_MS;
  jiraFront.latencyMs = API_LATENCY_MS;
  await timedOpen(); // warm-up
  const opens: Awaited<ReturnType<typeof timedOpen>>[] = [];
  for (let i = 0; i < OPENS; i += 1) opens.push(await timedOpen());
  const of = (pick: (open: (typeof opens)[number]) => number) => percentiles(opens.map(pick));
  const all = of((open) => open.all);
  const median = (pick: (open: (typeof opens)[number]) => number) => ms(of(pick).p50);
  rows.push([
    `open → channel+pin+ticket+bookmark`,
    '–',
    ms(all.p50),
    ms(all.p99),
    '0',
    `every API ${API_LATENCY_MS} ms; medians: ack ${median((o) => o.ack)}, channel ${median((o) => o.channelMs)}, pin ${median((o) => o.pinnedMs)}, ticket ${median((o) => o.ticketMs)}, bookmark ${median((o) => o.bookmarkedMs)}`,
  ]);
} finally {
  await emitter.stop();
  await bot.stop();
  if (process.env.BENCH_BOT_LOG) writeFileSync(process.env.BENCH_BOT_LOG, bot.output());
  await slackFront.stop();
  await jiraFront.stop();
  await slack.stop();
  jira.stop();
  rmSync(work, { recursive: true, force: true });
}
for (const cells of rows) console.log(cells.filter((cell) => cell !== '–').join('  '));
console.log(`BENCH_ROWS ${JSON.stringify(rows)}`);
