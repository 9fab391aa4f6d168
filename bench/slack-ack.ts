/**
 * `npm run bench`: how fast the bot answers Slack, end to end over HTTP with real signatures,
 * on the embedded PostgreSQL and a local fake Slack. Prints latency percentiles and rates.
 *
 *   /incident help          — pure ack path (signature check + router)
 *   declare (details step)  — validation + one transaction (incident, history, roles, jobs)
 *
 * Slack's budget is 3 s per ack; the numbers here should be orders of magnitude below it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBot } from '../src/bot.js';
import { loadConfig } from '../src/config/index.js';
import { createLogger } from '../src/logger.js';
import { FakeSlack } from '../test/support/fakeSlack.js';
import { detailsSubmission } from '../test/support/openFlowPayloads.js';
import {
  interactiveBody,
  postSigned,
  SIGNING_SECRET,
  slashCommandBody,
} from '../test/support/slackRequests.js';

const total = Number(process.env.BENCH_REQUESTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 20);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(name: string, count: number, send: (i: number) => Promise<Response>): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const response = await send(i);
        await response.arrayBuffer();
        if (response.status !== 200) failures += 1;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(24)} n=${count} c=${concurrency}  ${(count / seconds).toFixed(0)} req/s  ` +
      `p50=${percentile(latencies, 50).toFixed(1)}ms p95=${percentile(latencies, 95).toFixed(1)}ms ` +
      `p99=${percentile(latencies, 99).toFixed(1)}ms max=${latencies.at(-1)!.toFixed(1)}ms  failures=${failures}`,
  );
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'incident-bot-bench-'));
const slack = await new FakeSlack().start();
const config = loadConfig({
  SLACK_BOT_TOKEN: 'xoxb-bench',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slack.url,
  PORT: '0',
  DATA_DIR: path.join(dataDir, '.data'),
  LOG_LEVEL: 'silent',
});
const bot = await startBot({ config, logger: createLogger({ level: 'silent' }), slackRetries: 0 });
const base = `http://127.0.0.1:${bot.port}`;
try {
  const rss0 = process.memoryUsage().rss;
  await measure('/incident help', total, () => postSigned(base, slashCommandBody({ text: 'help' })));
  await measure('declare (details step)', Math.min(total, 500), (i) =>
    postSigned(
      base,
      interactiveBody(
        detailsSubmission(`V0BENCH${i}`, 4, { business_impact: 'LO' }, { featureTeam: 'Platform' }),
      ),
    ),
  );
  const incidents = await bot.deps.prisma.incident.count();
  console.log(
    `incidents stored: ${incidents}; rss ${(rss0 / 2 ** 20).toFixed(0)} → ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
} finally {
  await bot.stop();
  await slack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
