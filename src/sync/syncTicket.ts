import { loadIncidentForChange } from '../db/repositories/incidentState.js';
import { consumeSyncMark, journal, recordAgreement, syncBases } from '../db/repositories/syncState.js';
import type { AppDeps } from '../deps.js';
import { decideField, SYNCED_FIELDS, type SyncedField } from '../domain/jiraSync.js';
import { AppError, asAppError } from '../errors.js';
import { requireJira } from '../jira/requireJira.js';
import { jiraAccountOfSlackUser } from './accounts.js';
import { botAccountId } from './botAccount.js';
import {
  jiraUpdatedAt,
  jiraValuesOf,
  lastJiraChanges,
  sidesAgree,
  syncFieldIds,
  type FieldValues,
} from './jiraFields.js';
import { applyPulls } from './pull.js';
import { applyPushes } from './push.js';
import { markTicketDeleted } from './ticketDeleted.js';
import { tellIncident } from './notices.js';
import { jiraTicketUnreadable } from '../slack/messages/syncNotices.js';
import { deliveryIdOf, type FieldState, type SyncPass, type SyncTrigger } from './trigger.js';

export interface SyncResult {
  pulled: SyncedField[];
  pushed: SyncedField[];
  /** Why nothing was done, when nothing could be. */
  skipped?: string;
}

/**
 * Jira says 404 for a deleted issue, but also for one the bot may no longer see (permissions,
 * a security level). Only when the project itself is still readable is the ticket taken as
 * deleted (as its webhook would say); otherwise the sync stops for now and the channel hears
 * why, once — nothing is thrown away on a permission change.
 */
async function ticketNotFound(
  deps: AppDeps,
  ticket: { incidentId: number; key: string; projectKey: string },
  trigger: SyncTrigger,
): Promise<SyncResult> {
  const projectReadable = await deps.jira!.projectExists(ticket.projectKey).catch(() => false);
  if (projectReadable) {
    await markTicketDeleted(deps, ticket.incidentId, { deliveryId: deliveryIdOf(trigger) ?? undefined });
    return { pulled: [], pushed: [], skipped: 'the ticket no longer exists in Jira' };
  }
  await journal(deps.prisma, [
    {
      incidentId: ticket.incidentId,
      direction: 'OUTBOUND',
      field: 'ticket',
      toValue: ticket.key,
      outcome: 'failed',
      reason: `Jira answers 404 for ${ticket.key} and its project ${ticket.projectKey}: no permission?`,
      deliveryId: deliveryIdOf(trigger),
    },
  ]);
  await tellIncident(
    deps.prisma,
    ticket.incidentId,
    `unreadable:${ticket.key}`,
    jiraTicketUnreadable(ticket.key, ticket.projectKey),
  );
  return { pulled: [], pushed: [], skipped: 'the ticket cannot be read (no permission?)' };
}

/** When the incident last changed each synced field (its newest IncidentUpdate per field). */
async function incidentChangeTimes(deps: AppDeps, incidentId: number): Promise<Map<string, Date>> {
  const rows = await deps.prisma.incidentUpdate.groupBy({
    by: ['field'],
    where: { incidentId, field: { in: [...SYNCED_FIELDS] } },
    _max: { eventTs: true },
  });
  return new Map(
    rows.flatMap((row) => (row.field && row._max.eventTs ? [[row.field, row._max.eventTs]] : [])),
  );
}

/**
 * The incident, then the last agreements and the times of its changes. The incident comes
 * first, never beside the times: a Slack change committing between two parallel reads could
 * show its new value with the old time, and lose to an older Jira change.
 */
async function readIncidentSide(deps: AppDeps, incidentId: number) {
  const incident = await loadIncidentForChange(deps.prisma, incidentId);
  const [bases, changedAt] = await Promise.all([
    syncBases(deps.prisma, incidentId),
    incidentChangeTimes(deps, incidentId),
  ]);
  return { incident, bases, changedAt };
}

/**
 * One sync of an incident with its ticket, whatever asked for it (a Slack change, a Jira
 * delivery, the reconcile). Reads the ticket fresh (webhooks can be stale or partial), then per
 * field compares both sides with their last agreement: the side that moved wins (both moved:
 * the newer change), our own writes are recognised by their sync marks, and the result goes
 * through the change path (pull) or to Jira (push). Runs in the incident's Jira queue, so no two
 * syncs of one incident overlap, in this process or any other.
 */
export async function syncTicket(
  deps: AppDeps,
  incidentId: number,
  trigger: SyncTrigger,
): Promise<SyncResult> {
  // A Slack change landing between our read and a pull, or a Jira change between our read and
  // a push, makes this pass stale: read both sides again at once rather than wait for back-off.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await syncOnce(deps, incidentId, trigger);
    } catch (error) {
      const appError = asAppError(error);
      const raced = appError.code === 'INCIDENT_CHANGED' || appError.code === 'JIRA_CHANGED_MEANWHILE';
      if (!raced) throw error;
      if (attempt >= 3) {
        // A busy incident: the job retries a moment later, with its back-off.
        throw new AppError(appError.code, appError.message, {
          retryable: true,
          cause: error,
          userMessage: appError.userMessage,
        });
      }
    }
  }
}

async function syncOnce(deps: AppDeps, incidentId: number, trigger: SyncTrigger): Promise<SyncResult> {
  const none = (skipped: string): SyncResult => ({ pulled: [], pushed: [], skipped });
  const ticket = await deps.prisma.jiraTicket.findUnique({ where: { incidentId } });
  if (!ticket) return none('the incident has no Jira ticket yet');
  if (ticket.deletedAt) return none('the ticket was deleted in Jira');
  const jira = requireJira(deps);
  const mapping = deps.config.mapping.jira;

  // Jira and the database are read at once (the incident side keeps its own order: see below).
  const [issue, { incident, bases, changedAt }] = await Promise.all([
    jira.readIssue(ticket.key, syncFieldIds(mapping)).catch((error: unknown) => {
      if (asAppError(error).code !== 'JIRA_NOT_FOUND') throw error;
      return undefined; // not found: decided below, once the other reads are in
    }),
    readIncidentSide(deps, incidentId),
  ]);
  if (!issue) {
    return ticketNotFound(deps, { incidentId, key: ticket.key, projectKey: ticket.projectKey }, trigger);
  }
  if (!incident) return none('the incident no longer exists');

  const jiraValues = jiraValuesOf(issue, mapping);
  const incidentValues: FieldValues = {
    status: incident.status,
    priority: String(incident.priority),
    title: incident.title,
    description: incident.description,
    commander: incident.commander ?? '',
  };
  const commanderAccount = incident.commander
    ? await jiraAccountOfSlackUser(deps, incident.commander)
    : undefined;
  const jiraUpdated = jiraUpdatedAt(issue);
  const pass: SyncPass = {
    incident,
    ticket: { key: ticket.key, url: ticket.url },
    trigger,
    jiraUpdated,
    commanderAccount,
  };
  const delivery = trigger.kind === 'delivery' ? trigger.delivery : undefined;

  const bot = await botAccountId(jira);
  let changeTimes: Promise<Partial<Record<SyncedField, Date>>> | undefined;
  const fieldTimes = () => (changeTimes ??= lastJiraChanges(jira, ticket.key, mapping, bot));
  const pulls: FieldState[] = [];
  const pushes: FieldState[] = [];
  for (const field of SYNCED_FIELDS) {
    const incidentValue = incidentValues[field];
    const jiraValue = jiraValues[field];
    let base: FieldState['base'] = bases.get(field);
    const item = delivery?.items.get(field);
    const agree = sidesAgree(field, incidentValue, jiraValue, { jira: mapping, commanderAccount });
    if (agree) {
      if (!base || base.incidentValue !== incidentValue || base.jiraValue !== jiraValue) {
        await recordAgreement(deps.prisma, incidentId, field, {
          incidentValue,
          jiraValue,
          jiraChangedAt: item ? delivery?.timestamp : undefined,
        });
      }
      continue;
    }
    // A change a person made in Jira (this delivery names the field, and its author is not the
    // bot) is theirs, whatever marks say.
    const personMadeIt =
      item !== undefined && delivery?.actor?.accountId !== undefined && delivery.actor.accountId !== bot;
    if ((!base || base.jiraValue !== jiraValue) && !personMadeIt) {
      // Jira holds a value the last agreement does not know: our own write whose answer (or
      // bookkeeping) was lost leaves a mark; consuming it makes it the agreement.
      const mark = await consumeSyncMark(deps.prisma, incidentId, field, jiraValue);
      if (mark) {
        base = { incidentValue: mark.incidentValue ?? base?.incidentValue ?? incidentValue, jiraValue };
        await recordAgreement(deps.prisma, incidentId, field, base);
        await journal(deps.prisma, [
          {
            incidentId,
            direction: 'INBOUND',
            field,
            toValue: jiraValue,
            outcome: 'skipped',
            reason: "the bot's own write (sync mark consumed)",
            deliveryId: deliveryIdOf(trigger),
          },
        ]);
      }
    }
    // Which side changed this field last: the delivery's own time when it names the field, else
    // when a person last changed this very field in Jira's history (never the issue's `updated`,
    // which any activity moves), against the incident's last change of it. No such change — a
    // ticket just made from the incident — means the incident is the record; but a person who
    // edited the new ticket before its first sync made the newer change.
    const settled = base && base.jiraValue === jiraValue && base.incidentValue === incidentValue;
    let jiraIsNewer = false;
    if (!settled) {
      const incidentTime = changedAt.get(field)?.getTime() ?? 0;
      // The delivery's time is that of ITS change, and only when Jira still holds that value; the
      // same value may have been set again since, so short of "newer", Jira's history decides.
      const deliveredTime =
        item !== undefined && item.to === jiraValue ? delivery!.timestamp.getTime() : -Infinity;
      const historyTime =
        deliveredTime > incidentTime ? -Infinity : ((await fieldTimes())[field]?.getTime() ?? -Infinity);
      // The history is a second read: a person's change newer than the issue as we read it means
      // the value in hand is not the one that change set (it would win with a value it never had).
      if (jiraUpdated && historyTime > jiraUpdated.getTime()) {
        throw new AppError(
          'JIRA_CHANGED_MEANWHILE',
          `${ticket.key} changed in Jira between reading it and reading its history`,
        );
      }
      jiraIsNewer = Math.max(deliveredTime, historyTime) > incidentTime;
    }
    const decision = decideField({ agree, incidentValue, jiraValue, base, jiraIsNewer });
    if (decision === 'pull') pulls.push({ field, incidentValue, jiraValue, base });
    if (decision === 'push') pushes.push({ field, incidentValue, jiraValue, base });
  }

  await applyPulls(deps, pass, pulls);
  await applyPushes(deps, jira, pass, pushes);
  if (jiraUpdated && (!ticket.lastJiraUpdateAt || ticket.lastJiraUpdateAt < jiraUpdated)) {
    await deps.prisma.jiraTicket.update({ where: { incidentId }, data: { lastJiraUpdateAt: jiraUpdated } });
  }
  return { pulled: pulls.map((state) => state.field), pushed: pushes.map((state) => state.field) };
}
