import { changeContextOf, changeIncident } from '../commands/changeIncident.js';
import { AppError } from '../errors.js';
import { readPostMortemStatus } from '../postmortem/status.js';
import { journal, recordAgreement, type JournalEntry } from '../db/repositories/syncState.js';
import type { AppDeps } from '../deps.js';
import type { RequestedChange } from '../domain/incidentChange.js';
import { priorityFromJira, type SyncedField } from '../domain/jiraSync.js';
import { closedInJiraNotClosed, jiraChangeRefused } from '../slack/messages/syncNotices.js';
import { slackUserOfJiraAccount } from './accounts.js';
import { descriptionFromWiki } from './description.js';
import { statusFromJira } from './jiraFields.js';
import { tellIncident } from './notices.js';
import { deliveryIdOf, reasonOf, type FieldState, type SyncPass } from './trigger.js';

type Planned = { field: SyncedField; state: FieldState; change: RequestedChange; incidentValue: string };
type Refusal = { state: FieldState; outcome: 'skipped' | 'refused'; reason: string; notify?: string };

/** Jira's value of one field as an incident change, or why it cannot be one. */
async function planPull(deps: AppDeps, pass: SyncPass, state: FieldState): Promise<Planned | Refusal> {
  const { jira } = deps.config.mapping;
  const { field, jiraValue } = state;
  switch (field) {
    case 'status': {
      const target = statusFromJira(jiraValue, jira);
      if (!target) return { state, outcome: 'skipped', reason: `Jira status "${jiraValue}" is not mapped` };
      const from =
        pass.trigger.kind === 'delivery' ? pass.trigger.delivery.items.get('status')?.from : undefined;
      const fromStatus = from ?? state.base?.jiraValue;
      if (target === 'CLOSED' && fromStatus && !statusFromJira(fromStatus, jira)) {
        return {
          state,
          outcome: 'skipped',
          reason: `closed from "${fromStatus}", a Jira status that is not mapped`,
        };
      }
      return { field, state, change: { status: target }, incidentValue: target };
    }
    case 'priority': {
      const priority = priorityFromJira(jiraValue, jira.priorityNames);
      if (!priority) return { state, outcome: 'skipped', reason: `"${jiraValue}" is not a priority 1–5` };
      return { field, state, change: { priority }, incidentValue: String(priority) };
    }
    case 'title':
      return { field, state, change: { title: jiraValue }, incidentValue: jiraValue.trim() };
    case 'description': {
      const description = descriptionFromWiki(jiraValue);
      return { field, state, change: { description }, incidentValue: description };
    }
    case 'commander': {
      if (!jiraValue) {
        return {
          state,
          outcome: 'refused',
          reason: 'unassigned in Jira, but an incident always keeps its commander',
        };
      }
      const slackUser = await slackUserOfJiraAccount(deps, jiraValue);
      if (!slackUser) {
        return {
          state,
          outcome: 'skipped',
          reason: 'no Slack user found for the Jira assignee (no visible email matching a Slack account)',
        };
      }
      return { field, state, change: { commander: slackUser }, incidentValue: slackUser };
    }
  }
}

const problemField = (field: string): SyncedField | undefined =>
  field === 'message' || field === 'closureReason'
    ? 'status'
    : (['status', 'priority', 'title', 'description', 'commander'] as const).find((name) => name === field);

/**
 * Bring Jira's values of these fields into the incident, through THE change path (origin jira):
 * the channel message, announcement, topic and App Home follow exactly as for a Slack change.
 * What the incident's rules refuse is not applied; the channel is told (the reference's words
 * for a refused close) and the refusal is remembered as the new agreement, so the same Jira
 * state is not re-applied, and re-announced, on every pass.
 */
export async function applyPulls(
  deps: AppDeps,
  pass: SyncPass,
  states: readonly FieldState[],
): Promise<void> {
  if (states.length === 0) return;
  const delivery = pass.trigger.kind === 'delivery' ? pass.trigger.delivery : undefined;
  const actorName = delivery?.actor?.displayName;
  const planned: Planned[] = [];
  const refusals: Refusal[] = [];
  for (const state of states) {
    // A closed incident takes no more changes; its channel is archived, so only the journal says so.
    const result =
      pass.incident.status === 'CLOSED'
        ? ({ state, outcome: 'refused', reason: 'the incident is closed' } as const)
        : await planPull(deps, pass, state);
    if ('change' in result) planned.push(result);
    else refusals.push(result);
  }

  let applying = planned;
  for (let round = 0; round < 2 && applying.length > 0; round += 1) {
    const change = Object.assign({}, ...applying.map((item) => item.change)) as RequestedChange;
    const result = await changeIncident({
      ...changeContextOf(deps),
      // In a job nobody waits on Slack's 3 s: the post-mortem's status gets Jira's full timeout.
      readPostMortemStatus: (key) => readPostMortemStatus(deps.jira, key, deps.config.env.JIRA_TIMEOUT_MS),
      incidentId: pass.incident.id,
      author: null,
      origin: 'jira',
      change,
      // What this pass read: a Slack edit saved since makes the pull stale (re-read, never overwrite).
      seenUpdateCount: pass.incident.updateCount,
      ...(actorName ? { externalActor: actorName } : {}),
    });
    if (result.ok) break;
    const unknown = result.problems.find((problem) => problem.code === 'POSTMORTEM_STATUS_UNKNOWN');
    if (unknown) {
      // Jira could not say whether the post-mortem is ready: a question for later, not a refusal
      // to remember (that would leave a close made in Jira unapplied for good).
      throw new AppError('JIRA_SERVER_ERROR', `a close from Jira waits: ${unknown.message}`, {
        retryable: true,
        userMessage: unknown.message,
      });
    }
    // Refused fields are set aside, the rest applied in a second round.
    const refusedFields = new Map<SyncedField, string[]>();
    for (const problem of result.problems) {
      const field = problemField(problem.field);
      if (field) refusedFields.set(field, [...(refusedFields.get(field) ?? []), problem.message]);
    }
    // A problem about no field we asked for (e.g. the incident closed meanwhile) refuses them all.
    const anyMatch = applying.some((entry) => refusedFields.has(entry.field));
    const refusedHere = (field: SyncedField) => !anyMatch || refusedFields.has(field);
    const allReasons = result.problems.map((problem) => problem.message);
    for (const item of applying.filter((entry) => refusedHere(entry.field))) {
      const reasons = refusedFields.get(item.field) ?? allReasons;
      const closing = item.change.status === 'CLOSED';
      refusals.push({
        state: item.state,
        outcome: 'refused',
        reason: reasons.join(' '),
        notify: closing
          ? closedInJiraNotClosed(pass.ticket, reasons)
          : jiraChangeRefused(pass.ticket, item.field, reasons.join(' ')),
      });
    }
    applying = applying.filter((entry) => !refusedHere(entry.field));
    if (round === 1) applying = [];
  }

  const jiraChangedAt = delivery?.timestamp;
  const entries: JournalEntry[] = [];
  const common = {
    incidentId: pass.incident.id,
    direction: 'INBOUND' as const,
    actor: actorName ?? null,
    deliveryId: deliveryIdOf(pass.trigger),
  };
  for (const item of applying) {
    await recordAgreement(deps.prisma, pass.incident.id, item.field, {
      incidentValue: item.incidentValue,
      jiraValue: item.state.jiraValue,
      jiraChangedAt,
    });
    entries.push({
      ...common,
      field: item.field,
      fromValue: item.state.incidentValue,
      toValue: item.incidentValue,
      outcome: 'applied',
      reason: reasonOf(pass.trigger),
    });
  }
  for (const refusal of refusals) {
    const { state } = refusal;
    // The incident keeps its value; this Jira value is now known, so it is not fought over again.
    await recordAgreement(deps.prisma, pass.incident.id, state.field, {
      incidentValue: state.incidentValue,
      jiraValue: state.jiraValue,
      jiraChangedAt,
    });
    entries.push({
      ...common,
      field: state.field,
      fromValue: state.incidentValue,
      toValue: state.jiraValue,
      outcome: refusal.outcome,
      reason: refusal.reason,
    });
    if (refusal.notify) {
      const when = delivery?.deliveryId ?? pass.jiraUpdated?.toISOString() ?? '';
      await tellIncident(
        deps.prisma,
        pass.incident.id,
        `refused:${state.field}:${state.jiraValue}:${when}`,
        refusal.notify,
      );
    }
  }
  await journal(deps.prisma, entries);
}
