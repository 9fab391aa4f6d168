/**
 * The durable floor of webhook ingest: what recording one delivery costs PostgreSQL itself — the
 * same statements the route runs (ticket lookup, then a transaction inserting the delivery row),
 * from a bare `pg` pool at the same concurrency, with no HTTP, no Bolt, no Prisma. With
 * `--notify`, a pg_notify in the transaction too (what enqueueing a job adds: NOTIFY serialises
 * commits). Prints {tps, p50, p99} as JSON.
 *
 *   tsx bench/floors/pgIngest.ts <database url> <concurrency> <duration ms> [--notify]
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';

const [url, concurrencyArg, durationArg, flag] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 50);
const durationMs = Number(durationArg ?? 10_000);
const notify = flag === '--notify';
const body = readFileSync(
  new URL('../../test/fixtures/jira/issue_updated-summary.json', import.meta.url),
  'utf8',
);
const issue = (JSON.parse(body) as { issue: { id: string; key: string } }).issue;

const pool = new pg.Pool({ connectionString: url, max: concurrency });
const latencies: number[] = [];
const deadline = performance.now() + durationMs;

async function client(): Promise<void> {
  while (performance.now() < deadline) {
    const started = performance.now();
    await pool.query('select "incidentId" from "JiraTicket" where "jiraId" = $1 or key = $2 limit 1', [
      issue.id,
      issue.key,
    ]);
    const connection = await pool.connect();
    try {
      await connection.query('begin');
      await connection.query(
        `insert into "WebhookDelivery" (source, "deliveryId", headers, "rawBody", state, event, outcome, "processedAt")
         values ('jira', $1, '{}'::jsonb, $2, 'IGNORED'::"DeliveryState", 'jira:issue_updated', 'not an incident ticket', now())
         on conflict (source, "deliveryId") do nothing returning id`,
        [`floor-${randomUUID()}`, body.slice(0, 2048)],
      );
      if (notify) await connection.query(`select pg_notify('jobs:insert', '{}')`);
      await connection.query('commit');
    } finally {
      connection.release();
    }
    latencies.push(performance.now() - started);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, client));
const seconds = (performance.now() - started) / 1000;
await pool.end();
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
console.log(JSON.stringify({ tps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) }));
