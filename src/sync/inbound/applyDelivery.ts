import type { DeliveryState } from '../../generated/prisma/enums.js';
import { storableText } from '../../domain/userText.js';
import type { Db } from '../../db/prisma.js';
import { consumeSyncMark, journal, recordAgreement, syncBases } from '../../db/repositories/syncState.js';
import type { AppDeps } from '../../deps.js';
import type { SyncedField } from '../../domain/jiraSync.js';
import { jiraComment } from '../../slack/messages/syncNotices.js';
import { botAccountId } from '../botAccount.js';
import { normalizeWiki } from '../description.js';
import { syncedFieldOfJiraId } from '../jiraFields.js';
import { tellIncident } from '../notices.js';
import { syncTicket } from '../syncTicket.js';
import { markTicketDeleted } from '../ticketDeleted.js';
import type { DeliveryContext } from '../trigger.js';
import {
  changelogItems,
  deliveryEnvelopeSchema,
  parseDeliveryJson,
  type ChangelogItem,
  type DeliveryEnvelope,
} from './deliveryPayload.js';

type Outcome = { state: Extract<DeliveryState, 'PROCESSED' | 'IGNORED'>; outcome: string };

/** Record what became of a delivery (kept for the retention period, see prune_sync_records). */
export async function finishDelivery(
  db: Db,
  rowId: number,
  state: DeliveryState,
  outcome: string,
): Promise<void> {
  await db.webhookDelivery.update({
    where: { id: rowId },
    data: { state, outcome: storableText(outcome, 500), processedAt: new Date() },
  });
}

/** A changelog item's new value, written the way the sync compares Jira values. */
function jiraValueOf(field: SyncedField, item: ChangelogItem, side: 'from' | 'to'): string | null {
  const id = side === 'to' ? item.to : item.from;
  const label = side === 'to' ? item.toString : item.fromString;
  if (field === 'commander') return id ?? '';
  if (field === 'description') return normalizeWiki(label);
  return label;
}

const SYSTEM_FIELDS = new Set(['status', 'summary', 'description', 'assignee']);

/** The synced fields this delivery's changelog names (matched on field id, never on the label). */
function syncedItems(deps: AppDeps, envelope: DeliveryEnvelope): DeliveryContext['items'] {
  const byJiraId = syncedFieldOfJiraId(deps.config.mapping.jira);
  const items: DeliveryContext['items'] = new Map();
  for (const item of changelogItems(envelope)) {
    // Jira Server and pre-2019 Cloud payloads have no fieldId: system fields are then known by
    // name. A custom field (the priority) is only ever matched on its id.
    const fieldId = item.fieldId ?? (item.field && SYSTEM_FIELDS.has(item.field) ? item.field : undefined);
    const field = fieldId ? byJiraId.get(fieldId) : undefined;
    if (field)
      items.set(field, { from: jiraValueOf(field, item, 'from'), to: jiraValueOf(field, item, 'to') });
  }
  return items;
}

async function issueUpdated(
  deps: AppDeps,
  incidentId: number,
  deliveryId: string,
  envelope: DeliveryEnvelope,
): Promise<Outcome> {
  const items = syncedItems(deps, envelope);
  if (items.size === 0) return { state: 'IGNORED', outcome: 'no synced field changed' };
  const actor = envelope.user;
  const timestamp = new Date(envelope.timestamp ?? Date.now());
  const bot = deps.jira ? await botAccountId(deps.jira) : undefined;
  if (bot && actor?.accountId === bot) {
    // The echo of our own write: apply nothing. A write whose answer was lost (its mark still
    // open) is now known to have landed: it becomes the agreement, so the retry of that push
    // carries on from there instead of reading it as somebody's change.
    for (const [field, change] of items) {
      if (change.to === null) continue;
      const mark = await consumeSyncMark(deps.prisma, incidentId, field, change.to);
      if (mark?.incidentValue) {
        await recordAgreement(deps.prisma, incidentId, field, {
          incidentValue: mark.incidentValue,
          jiraValue: change.to,
        });
      }
    }
    await journal(
      deps.prisma,
      [...items].map(([field, change]) => ({
        incidentId,
        direction: 'INBOUND' as const,
        field,
        fromValue: change.from,
        toValue: change.to,
        outcome: 'skipped' as const,
        reason: "the bot's own change",
        actor: actor.displayName ?? null,
        deliveryId,
      })),
    );
    return { state: 'IGNORED', outcome: "the bot's own change" };
  }
  const bases = await syncBases(deps.prisma, incidentId);
  const stale = [...items.keys()].filter((field) => {
    const appliedAt = bases.get(field)?.jiraChangedAt;
    return appliedAt !== undefined && appliedAt !== null && timestamp < appliedAt;
  });
  if (stale.length === items.size) {
    await journal(
      deps.prisma,
      stale.map((field) => ({
        incidentId,
        direction: 'INBOUND' as const,
        field,
        fromValue: items.get(field)?.from,
        toValue: items.get(field)?.to,
        outcome: 'skipped' as const,
        reason: 'stale: older than a change already applied',
        actor: actor?.displayName ?? null,
        deliveryId,
      })),
    );
    return { state: 'IGNORED', outcome: 'stale: older than a change already applied' };
  }
  for (const field of stale) items.delete(field);
  const result = await syncTicket(deps, incidentId, {
    kind: 'delivery',
    delivery: { deliveryId, actor, timestamp, items },
  });
  if (result.skipped) return { state: 'IGNORED', outcome: result.skipped };
  const said = [
    result.pulled.length > 0 ? `applied ${result.pulled.join(', ')}` : 'nothing to apply',
    ...(result.pushed.length > 0 ? [`pushed ${result.pushed.join(', ')}`] : []),
  ];
  return { state: 'PROCESSED', outcome: said.join('; ') };
}

/** `[~accountid:…]` mentions as names people can read. */
async function readableMentions(db: Db, body: string): Promise<string> {
  const ids = [...body.matchAll(/\[~accountid:([^\]]+)\]/g)].map((match) => match[1]!);
  if (ids.length === 0) return body;
  const users = await db.user.findMany({ where: { jiraAccountId: { in: ids } } });
  const names = new Map(users.map((user) => [user.jiraAccountId, user.name]));
  return body.replace(/\[~accountid:([^\]]+)\]/g, (_match, id: string) => `@${names.get(id) ?? 'someone'}`);
}

async function comment(
  deps: AppDeps,
  incidentId: number,
  deliveryId: string,
  envelope: DeliveryEnvelope,
): Promise<Outcome> {
  const kind = envelope.webhookEvent.replace('comment_', '') as 'created' | 'updated' | 'deleted';
  const author =
    kind === 'updated'
      ? (envelope.comment?.updateAuthor ?? envelope.comment?.author)
      : envelope.comment?.author;
  const bot = deps.jira ? await botAccountId(deps.jira) : undefined;
  if (bot && author?.accountId === bot) return { state: 'IGNORED', outcome: "the bot's own comment" };
  const ticket = await deps.prisma.jiraTicket.findUnique({
    where: { incidentId },
    include: { incident: { select: { status: true } } },
  });
  if (!ticket) return { state: 'IGNORED', outcome: 'the incident has no ticket' };
  if (ticket.incident.status === 'CLOSED') return { state: 'IGNORED', outcome: 'the incident is closed' };
  const body = await readableMentions(deps.prisma, envelope.comment?.body ?? '');
  const message = jiraComment({
    kind,
    ticket: { key: ticket.key, url: ticket.url },
    author: author?.displayName ?? 'someone',
    body,
  });
  await tellIncident(deps.prisma, incidentId, `comment:${deliveryId}`, message.text);
  return { state: 'PROCESSED', outcome: `comment ${kind} relayed` };
}

/**
 * Apply one recorded delivery, once: a row no longer RECEIVED was applied (or skipped) before,
 * so a retried job or a duplicate enqueue does nothing.
 */
export async function applyDelivery(deps: AppDeps, rowId: number): Promise<void> {
  const row = await deps.prisma.webhookDelivery.findUnique({ where: { id: rowId } });
  if (!row || row.state !== 'RECEIVED') return;
  const parsed = deliveryEnvelopeSchema.safeParse(parseDeliveryJson(row.rawBody));
  if (!parsed.success || row.incidentId === null) {
    await finishDelivery(
      deps.prisma,
      rowId,
      'IGNORED',
      parsed.success ? 'not an incident ticket' : 'unreadable',
    );
    return;
  }
  const envelope = parsed.data;
  const { incidentId } = row;
  let result: Outcome;
  switch (envelope.webhookEvent) {
    case 'jira:issue_updated':
      result = await issueUpdated(deps, incidentId, row.deliveryId, envelope);
      break;
    case 'comment_created':
    case 'comment_updated':
    case 'comment_deleted':
      result = await comment(deps, incidentId, row.deliveryId, envelope);
      break;
    case 'jira:issue_deleted': {
      const marked = await markTicketDeleted(deps, incidentId, {
        deliveryId: row.deliveryId,
        actor: envelope.user?.displayName,
      });
      result = {
        state: marked ? 'PROCESSED' : 'IGNORED',
        outcome: marked ? 'ticket marked deleted' : 'already deleted',
      };
      break;
    }
    default:
      result = { state: 'IGNORED', outcome: `${envelope.webhookEvent} is not used` };
  }
  await finishDelivery(deps.prisma, rowId, result.state, result.outcome);
}
