import type { SyncedField } from '../../domain/jiraSync.js';
import { storableText } from '../../domain/userText.js';
import type { Db } from '../prisma.js';

/** How long an outbound write's mark waits for its webhook echo (Jira retries for up to 30 min). */
export const SYNC_MARK_TTL_MS = 60 * 60_000;

/** The last agreement of each synced field of an incident (the base of the three-way decision). */
export async function syncBases(db: Db, incidentId: number) {
  const rows = await db.syncField.findMany({ where: { incidentId } });
  return new Map(rows.map((row) => [row.field as SyncedField, row]));
}

/**
 * Both sides now hold these values (after a push, a pull, or finding them equal). Any mark still
 * open for the field is spent with it: a mark only bridges a write and this record (a lost
 * answer, a crash), so one left over must never make a later, real change look like ours.
 */
export async function recordAgreement(
  db: Db,
  incidentId: number,
  field: SyncedField,
  values: { incidentValue: string; jiraValue: string; jiraChangedAt?: Date | undefined },
): Promise<void> {
  await spendMarks(db, incidentId, field);
  const changedAt = values.jiraChangedAt ? { jiraChangedAt: values.jiraChangedAt } : {};
  await db.syncField.upsert({
    where: { incidentId_field: { incidentId, field } },
    create: {
      incidentId,
      field,
      incidentValue: values.incidentValue,
      jiraValue: values.jiraValue,
      ...changedAt,
    },
    update: { incidentValue: values.incidentValue, jiraValue: values.jiraValue, ...changedAt },
  });
}

/** Close every open mark of a field: none of them may stand for a value Jira holds now. */
export async function spendMarks(db: Db, incidentId: number, field: SyncedField): Promise<void> {
  await db.syncMark.updateMany({
    where: { incidentId, field, consumedAt: null },
    data: { consumedAt: new Date() },
  });
}

/**
 * "The bot is about to write field=value to Jira": committed BEFORE the call, so the webhook
 * echo of that write, or the next read when the answer was lost, is known as ours.
 */
export async function addSyncMark(
  db: Db,
  mark: { incidentId: number; field: SyncedField; value: string; incidentValue: string },
): Promise<void> {
  await db.syncMark.create({
    data: { ...mark, direction: 'OUTBOUND', expiresAt: new Date(Date.now() + SYNC_MARK_TTL_MS) },
  });
}

/**
 * Consume the live mark of our own write of this value, if there is one: the value seen in Jira
 * is the bot's echo, not somebody's change. Atomic (one UPDATE … RETURNING), so two processes
 * never both consume it.
 */
export async function consumeSyncMark(
  db: Db,
  incidentId: number,
  field: SyncedField,
  value: string,
): Promise<{ incidentValue: string | null } | undefined> {
  const rows = await db.$queryRaw<{ incidentValue: string | null }[]>`
    update "SyncMark" set "consumedAt" = now()
    where id = (
      select id from "SyncMark"
      where "incidentId" = ${incidentId} and field = ${field} and value = ${value}
        and "consumedAt" is null and "expiresAt" > now()
      order by id desc limit 1
      for update skip locked
    )
    returning "incidentValue"`;
  return rows[0];
}

export interface JournalEntry {
  incidentId: number | null;
  direction: 'OUTBOUND' | 'INBOUND';
  field: string;
  fromValue?: string | null | undefined;
  toValue?: string | null | undefined;
  /** applied | skipped | failed | refused */
  outcome: 'applied' | 'skipped' | 'failed' | 'refused';
  reason?: string | undefined;
  actor?: string | null | undefined;
  deliveryId?: string | null | undefined;
}

const clip = (value: string | null | undefined) =>
  value === null || value === undefined
    ? null
    : value.length > 500
      ? `${storableText(value, 499)}…`
      : storableText(value);

/** What the sync did and why: every push and every inbound application or refusal. */
export async function journal(db: Db, entries: readonly JournalEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.syncJournal.createMany({
    data: entries.map((entry) => ({
      incidentId: entry.incidentId,
      direction: entry.direction,
      field: entry.field,
      fromValue: clip(entry.fromValue),
      toValue: clip(entry.toValue),
      outcome: entry.outcome,
      reason: entry.reason ?? null,
      actor: entry.actor ?? null,
      deliveryId: entry.deliveryId ?? null,
    })),
  });
}

/** The incident's newest journal entries, newest first. */
export async function latestJournal(db: Db, incidentId: number, limit = 15) {
  return db.syncJournal.findMany({
    where: { incidentId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
}
