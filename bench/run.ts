/**
 * `npm run bench`: the bot's figures side by side with their floors, measured in one run on this
 * machine. The bot runs as `npm start` runs it (dist/, embedded PostgreSQL, its own process);
 * each floor runs in a process of its own; autocannon generates the load (unique, correctly
 * signed requests: the bot refuses replays).
 *
 *   slash-command ack     bot vs a bare Bolt app acking the same signed command
 *   Jira webhook ingest   bot (verify + record, committed) vs bare node:http vs the same SQL from
 *                         a bare pg pool (with and without NOTIFY) vs pgbench running it
 *   declare ack           the open modal's submission (one transaction + jobs), 1 and 20 at once
 *   Jira edit → Slack, open → channel + pin + ticket + bookmark at 50 ms APIs: bench/sync.ts
 *   warm start, idle RSS  bench/start.ts (spawn → /healthz 200; resident memory once idle)
 *
 * BENCH_SECONDS (default 10) per measured run; BENCH_CONNECTIONS (default 50).
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { findFreePort, runningEmbeddedPostgres } from '../src/db/embedded.js';
import { FakeSlack } from '../test/support/fakeSlack.js';
import { fixtureText } from '../test/support/fixtures.js';
import { ensureBuilt, npmScriptArgs } from '../test/support/npmScript.js';
import { detailsSubmission } from '../test/support/openFlowPayloads.js';
import { interactiveBody, slashCommandBody } from '../test/support/slackRequests.js';
import { closedLoop, hammer, type LoadResult } from './lib/load.js';
import { healthy, printedPort, start } from './lib/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SIGNING_SECRET = 'bench-signing-secret';
const WEBHOOK_SECRET = 'bench-webhook-secret';

const slackSigned = (body: string, contentType = 'application/x-www-form-urlencoded') => {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    path: '/slack/events',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  };
};
const slashHelp = () => slackSigned(slashCommandBody({ text: 'help' }));

const webhookBody = fixtureText('jira/issue_updated-summary.json');
const webhookSignature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(webhookBody).digest('hex')}`;
let deliveries = 0;
const jiraWebhook = () => ({
  path: '/jira/webhook',
  headers: {
    'content-type': 'application/json',
    'x-hub-signature': webhookSignature,
    'x-atlassian-webhook-identifier': `bench-${process.pid}-${(deliveries += 1)}`,
  },
  body: webhookBody,
});

const ms = (value: number) => `${value.toFixed(1)} ms`;
const rate = (value: number) => `${value.toFixed(0)}/s`;
const rows: string[][] = [];
const row = (...cells: string[]) => rows.push(cells);
const loadCells = (result: LoadResult) => [
  rate(result.rps),
  ms(result.p50),
  ms(result.p99),
  String(result.failures),
];

ensureBuilt();
const work = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-bench-'));
const dataDir = path.join(work, '.data');
const slack = await new FakeSlack().start();
const botPort = await findFreePort();
const bot = start(process.execPath, npmScriptArgs('start'), {
  PORT: String(botPort),
  DATA_DIR: dataDir,
  SLACK_BOT_TOKEN: 'xoxb-bench',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slack.url,
  JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
  LOG_LEVEL: 'warn',
});
const floors = [
  start(process.execPath, ['--import', 'tsx', 'bench/floors/bareBolt.ts'], {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
  }),
  start(process.execPath, ['--import', 'tsx', 'bench/floors/bareHttp.ts'], {}),
];
try {
  const botUrl = `http://127.0.0.1:${botPort}`;
  await healthy(`${botUrl}/healthz`, bot);
  const [boltPort, httpPort] = await Promise.all(floors.map((floor) => printedPort(floor)));
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(`load: autocannon, ${CONNECTIONS} connections, ${SECONDS} s per run after a 3 s warm-up\n`);

  // Slash-command ack: the bot and a bare Bolt app, the same signed /incident help.
  const ack = await hammer({ url: botUrl, connections: CONNECTIONS, durationS: SECONDS, request: slashHelp });
  const boltAck = await hammer({
    url: `http://127.0.0.1:${boltPort}`,
    connections: CONNECTIONS,
    durationS: SECONDS,
    request: slashHelp,
  });
  row(
    'slash-command ack (bot)',
    ...loadCells(ack),
    `${(ack.rps / boltAck.rps).toFixed(2)}× req/s, ${(ack.p99 / boltAck.p99).toFixed(2)}× p99 of bare Bolt`,
  );
  row('  floor: bare Bolt app', ...loadCells(boltAck), '');

  // Jira webhook ingest: verify + record (committed); floors without our code, then without HTTP.
  const ingest = await hammer({
    url: botUrl,
    connections: CONNECTIONS,
    durationS: SECONDS,
    request: jiraWebhook,
  });
  const bareHttp = await hammer({
    url: `http://127.0.0.1:${httpPort}`,
    connections: CONNECTIONS,
    durationS: SECONDS,
    request: jiraWebhook,
  });
  const databaseUrl = runningEmbeddedPostgres(dataDir)?.url;
  if (!databaseUrl) throw new Error(`no embedded PostgreSQL running under ${dataDir}`);
  const pgFloor = (notify: boolean) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'bench/floors/pgIngest.ts',
          databaseUrl,
          String(CONNECTIONS),
          String(SECONDS * 1000),
          ...(notify ? ['--notify'] : []),
        ],
        { encoding: 'utf8' },
      ),
    ) as { tps: number; p50: number; p99: number };
  const durable = pgFloor(false);
  const durableNotify = pgFloor(true);
  row(
    'Jira webhook ingest (bot)',
    ...loadCells(ingest),
    `${((100 * ingest.rps) / durable.tps).toFixed(0)}% of the pg floor, ${((100 * ingest.rps) / bareHttp.rps).toFixed(0)}% of bare HTTP`,
  );
  row('  floor: bare node:http 200', ...loadCells(bareHttp), '');
  row(
    '  floor: same SQL, bare pg pool',
    rate(durable.tps),
    ms(durable.p50),
    ms(durable.p99),
    '0',
    'lookup + insert transaction',
  );
  row(
    '  floor: same, with NOTIFY',
    rate(durableNotify.tps),
    ms(durableNotify.p50),
    ms(durableNotify.p99),
    '0',
    'what enqueueing a job adds',
  );
  try {
    const script = path.join(work, 'ingest.sql');
    writeFileSync(
      script,
      `\\set id random(1, 2000000000)
insert into "WebhookDelivery" (source, "deliveryId", headers, "rawBody", state, event, outcome, "processedAt")
values ('jira', 'pgbench-' || :client_id || '-' || :id, '{}'::jsonb, repeat('x', 2048), 'IGNORED'::"DeliveryState", 'jira:issue_updated', 'not an incident ticket', now())
on conflict (source, "deliveryId") do nothing;
`,
    );
    const url = new URL(databaseUrl);
    const output = execFileSync(
      'pgbench',
      [
        '-n',
        '-c',
        String(CONNECTIONS),
        '-j',
        '2',
        '-T',
        String(SECONDS),
        '-f',
        script,
        '-h',
        url.hostname,
        '-p',
        url.port,
        '-U',
        decodeURIComponent(url.username),
        'incident_bot',
      ],
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1]);
    const latency = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1]);
    row('  floor: pgbench, the insert', rate(tps), `avg ${ms(latency)}`, '–', '0', 'pgbench reports no p99');
  } catch (error) {
    row('  floor: pgbench', '–', '–', '–', '–', `not run: ${(error as Error).message.split('\n')[0]}`);
  }

  // Declare ack: the details step of the open modal, one incident per submission.
  let views = 0;
  const declare = async () => {
    const request = slackSigned(
      interactiveBody(detailsSubmission(`V0BENCH${(views += 1)}`, 3, { customers_impact: 'MD' })),
    );
    const response = await fetch(`${botUrl}${request.path}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    const text = await response.text();
    if (!text.includes('clear')) throw new Error(`declare refused: ${text}`);
  };
  const one = await closedLoop(declare, { total: 100, concurrency: 1 });
  const twenty = await closedLoop(declare, { total: 400, concurrency: 20 });
  row(
    'declare ack, 1 at a time',
    '–',
    ms(one.p50),
    ms(one.p99),
    '0',
    'transaction + jobs, channel work after',
  );
  row('declare ack, 20 at a time', '–', ms(twenty.p50), ms(twenty.p99), '0', '');
} finally {
  await bot.stop();
  await Promise.all(floors.map((floor) => floor.stop()));
  await slack.stop();
  rmSync(work, { recursive: true, force: true });
}

// End to end through Jira and Slack: bench/sync.ts, in a process of its own (its fakes are not
// this process's load).
const syncOutput = execFileSync(process.execPath, ['--import', 'tsx', 'bench/sync.ts'], { encoding: 'utf8' });
const syncRows = /^BENCH_ROWS (.*)$/m.exec(syncOutput)?.[1];
if (syncRows) rows.push(...(JSON.parse(syncRows) as string[][]));
else row('end to end (bench/sync.ts)', '–', '–', '–', '–', `no figures: ${syncOutput.slice(-300)}`);

const header = ['what', 'req/s', 'p50', 'p99', 'failures', 'against its floor'];
const widths = header.map((title, i) =>
  Math.max(title.length, ...rows.map((cells) => (cells[i] ?? '').length)),
);
const line = (cells: string[]) =>
  `| ${cells.map((cell, i) => (cell ?? '').padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(header));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const cells of rows) console.log(line(cells));

// Start-up and memory: bench/start.ts measures exactly what `npm start` costs.
console.log('\nstart-up and memory (bench/start.ts):');
console.log(
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/start.ts'], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_RUNS: '3' },
  }),
);
