import { createHash } from 'node:crypto';
import { Prisma, sqlPoolOf, type Db } from '../prisma.js';
import { storableText } from '../../domain/userText.js';
import { TaskIds, jiraQueue, jobKeys } from '../../jobs/taskIds.js';

/** Kept of a refused body: enough to see what was sent, bounded so a flood cannot fill the disk. */
const MAX_STORED_BODY = 64 * 1024;

/**
 * Audit record of an inbound request refused for its content (signed, but malformed). Stored
 * once per distinct body: the same body sent again only bumps nothing.
 */
export async function recordRejectedDelivery(
  db: Db,
  rejected: { source: string; reason: string; headers: Record<string, string | undefined>; rawBody: string },
): Promise<void> {
  const digest = createHash('sha256').update(rejected.rawBody).digest('hex');
  const headers = Object.entries(rejected.headers).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  await db.webhookDelivery.upsert({
    where: { source_deliveryId: { source: rejected.source, deliveryId: `rejected:${digest}` } },
    create: {
      source: rejected.source,
      deliveryId: `rejected:${digest}`,
      headers: Object.fromEntries(headers.map(([name, value]) => [name, storableText(value)])),
      rawBody: storableText(rejected.rawBody, MAX_STORED_BODY),
      state: 'REJECTED',
      error: storableText(rejected.reason),
      processedAt: new Date(),
    },
    update: {},
  });
}

/** Of a delivery about no incident ticket, this much of the body is kept (enough to see what it was). */
const IGNORED_BODY_KEPT = 2048;
const PLACEHOLDER = '{id}';

/**
 * Record a signed Jira delivery once per delivery id, in ONE statement (one round trip, atomic
 * without an explicit transaction): find the incident whose ticket it is about, insert the row —
 * RECEIVED with an `apply_jira_delivery` job in the incident's Jira queue, or IGNORED (with only
 * the first 2 KB of the body) when it is about no incident ticket. A delivery id seen before
 * inserts nothing: the answer is then "duplicate". Returns whether it was new.
 */
export async function recordJiraDelivery(
  db: Db,
  delivery: {
    deliveryId: string;
    headers: Record<string, string | undefined>;
    rawBody: string;
    event: string;
    issue: { id: string; key?: string | undefined } | undefined;
  },
): Promise<boolean> {
  const rawBody = storableText(delivery.rawBody);
  const statement = Prisma.sql`
    with ticket as (
      select "incidentId" from "JiraTicket"
      where "jiraId" = ${delivery.issue?.id ?? null}::text or key = ${delivery.issue?.key ?? null}::text
      limit 1
    ), recorded as (
      insert into "WebhookDelivery" (source, "deliveryId", headers, "rawBody", state, event, "incidentId", outcome, "processedAt")
      select 'jira', ${delivery.deliveryId}::text, ${JSON.stringify(delivery.headers)}::jsonb,
        case when t."incidentId" is null then left(${rawBody}::text, ${IGNORED_BODY_KEPT}::int) else ${rawBody}::text end,
        (case when t."incidentId" is null then 'IGNORED' else 'RECEIVED' end)::"DeliveryState",
        ${delivery.event}::text, t."incidentId",
        case when t."incidentId" is null then 'not an incident ticket' end,
        case when t."incidentId" is null then now() end
      from (select 1) as one left join ticket t on true
      on conflict (source, "deliveryId") do nothing
      returning id, "incidentId"
    )
    select r.id,
      case when r."incidentId" is not null then (graphile_worker.add_job(
        identifier := ${TaskIds.applyJiraDelivery}::text,
        payload := json_build_object('deliveryRowId', r.id),
        queue_name := replace(${jiraQueue(PLACEHOLDER)}::text, ${PLACEHOLDER}::text, r."incidentId"::text),
        job_key := replace(${jobKeys.delivery(PLACEHOLDER)}::text, ${PLACEHOLDER}::text, r.id::text)
      )).id end as job
    from recorded r`;
  // On the pool directly when there is one: the same statement, without Prisma's per-query cost.
  const pool = sqlPoolOf(db);
  const rows = pool
    ? (await pool.query(statement.text, statement.values)).rows
    : await db.$queryRaw<{ id: number }[]>(statement);
  return rows.length > 0;
}
