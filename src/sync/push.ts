import {
  addSyncMark,
  journal,
  recordAgreement,
  spendMarks,
  type JournalEntry,
} from '../db/repositories/syncState.js';
import type { AppDeps } from '../deps.js';
import { nextTransition, type SyncedField } from '../domain/jiraSync.js';
import { statusRank, type IncidentStatus } from '../domain/statusMachine.js';
import { AppError, asAppError } from '../errors.js';
import type { JiraGateway } from '../jira/gateway.js';
import { renderTicketDescription } from '../jobs/effects/ticketSource.js';
import { jiraPushFailed } from '../slack/messages/syncNotices.js';
import { normalizeWiki } from './description.js';
import { jiraValuesOf, priorityWrite, statusFromJira, summaryOf, syncFieldIds } from './jiraFields.js';
import { tellIncident } from './notices.js';
import { reasonOf, type FieldState, type SyncPass } from './trigger.js';

/** More steps than any sane workflow needs between two statuses: past this, something loops. */
const MAX_TRANSITION_STEPS = 8;

type Written = { state: FieldState; jiraValue: string };

const sameStatus = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Marks the intermediate statuses of a transition path: reaching one is not the incident's value. */
const onTheWay = (target: string) => `(on the way to ${target})`;

/**
 * Move the ticket to the status mapped from the incident's, one transition at a time among
 * those Jira offers at each step (see nextTransition). Each step leaves a sync mark first, so
 * the webhook of every step is known as ours. Returns the status reached.
 */
async function transitionTo(
  deps: AppDeps,
  jira: JiraGateway,
  pass: SyncPass,
  state: FieldState,
  progress: { reached: string },
): Promise<string> {
  const mapping = deps.config.mapping.jira;
  const target = mapping.statusToJira[state.incidentValue as IncidentStatus];
  if (!target) {
    throw new AppError('JIRA_SYNC_UNMAPPED', `no Jira status is mapped for ${state.incidentValue}`, {
      userMessage: `no Jira status is mapped for ${state.incidentValue} (mapping jira.statusToJira).`,
    });
  }
  const rank = (status: string) => {
    const mapped = statusFromJira(status, mapping);
    return mapped === undefined ? undefined : statusRank(mapped);
  };
  let current = state.jiraValue;
  const visited: string[] = [];
  for (let step = 0; step < MAX_TRANSITION_STEPS; step += 1) {
    if (current.trim().toLowerCase() === target.trim().toLowerCase()) return current;
    const { status: now, transitions: offered } = await jira.transitionsOf(pass.ticket.key);
    if (!sameStatus(now, current)) {
      // Someone moved the ticket while we walked it: their change is news for the next pass
      // (its webhook, or the reconcile), never something to walk over. The marks of the steps
      // taken are spent, so their values can never pass for ours again.
      await spendMarks(deps.prisma, pass.incident.id, 'status');
      throw new AppError(
        'JIRA_CHANGED_MEANWHILE',
        `${pass.ticket.key} moved to ${now} while the bot moved it`,
        {
          retryable: true,
          userMessage: `the ticket was moved to "${now}" in Jira at the same time.`,
        },
      );
    }
    const next = nextTransition({
      current,
      target,
      offered,
      terminalStatuses: mapping.terminalStatuses,
      visited,
      rank,
    });
    if (!next) {
      const names = offered.flatMap((transition) => (transition.to ? [transition.to] : []));
      throw new AppError('JIRA_NO_TRANSITION_PATH', `no transition path from ${current} to ${target}`, {
        userMessage: `Jira offers no way from "${current}" to "${target}" (offered: ${names.join(', ') || 'none'}).`,
      });
    }
    const last = next.to.trim().toLowerCase() === target.trim().toLowerCase();
    await addSyncMark(deps.prisma, {
      incidentId: pass.incident.id,
      field: 'status',
      value: next.to,
      incidentValue: last ? state.incidentValue : onTheWay(state.incidentValue),
    });
    await jira.transitionIssue(pass.ticket.key, next.id);
    visited.push(current);
    current = next.to;
    progress.reached = current;
  }
  throw new AppError(
    'JIRA_NO_TRANSITION_PATH',
    `no transition path to ${target} within ${MAX_TRANSITION_STEPS} steps`,
    {
      userMessage: `the ticket did not reach "${target}" within ${MAX_TRANSITION_STEPS} transitions.`,
    },
  );
}

/**
 * Jira has no conditional update: just before writing, read the fields again and stop if a
 * person changed one since this pass read it (the pass starts over and sees their change),
 * rather than write over it. Status is checked at each step of its walk instead.
 */
async function unchangedSinceRead(
  deps: AppDeps,
  jira: JiraGateway,
  pass: SyncPass,
  states: readonly FieldState[],
): Promise<void> {
  const fields = states.filter((state) => state.field !== 'status');
  if (fields.length === 0) return;
  const now = jiraValuesOf(
    await jira.readIssue(pass.ticket.key, syncFieldIds(deps.config.mapping.jira)),
    deps.config.mapping.jira,
  );
  const moved = fields.filter((state) => now[state.field] !== state.jiraValue);
  if (moved.length === 0) return;
  for (const state of moved) await spendMarks(deps.prisma, pass.incident.id, state.field);
  throw new AppError(
    'JIRA_CHANGED_MEANWHILE',
    `${pass.ticket.key} changed in Jira while the bot was about to write it`,
    {
      retryable: true,
      userMessage: `the ticket was edited in Jira at the same time (${moved.map((state) => state.field).join(', ')}).`,
    },
  );
}

/**
 * Send the incident's values of these fields to the ticket: summary, description, priority in
 * one edit, the commander as assignee, the status through the workflow. Every write leaves a
 * sync mark BEFORE the call (committed), so its echo, or a read after a lost answer, is known as
 * ours. A refusal from Jira is journalled and said in the channel, then accepted as the new
 * agreement (no retry storm); an outage throws so the job retries.
 */
export async function applyPushes(
  deps: AppDeps,
  jira: JiraGateway,
  pass: SyncPass,
  states: readonly FieldState[],
): Promise<void> {
  if (states.length === 0) return;
  const incidentId = pass.incident.id;
  const byField = new Map(states.map((state) => [state.field, state]));
  const written: Written[] = [];
  const failed: { state: FieldState; error: AppError }[] = [];
  const skipped: { state: FieldState; reason: string }[] = [];
  const run = async (fields: SyncedField[], write: () => Promise<Written[]>) => {
    try {
      written.push(...(await write()));
    } catch (thrown) {
      const error = asAppError(thrown);
      if (error.retryable) throw error;
      for (const field of fields) failed.push({ state: byField.get(field)!, error });
    }
  };

  await unchangedSinceRead(deps, jira, pass, states);
  const editable = (['title', 'description', 'priority'] as const).filter((field) => byField.has(field));
  if (editable.length > 0) {
    // One edit for the three fields; a field Jira refuses by id (not on the edit screen, a bad
    // option) is set aside and the others are sent again, so one never blocks the rest.
    const pending = new Map<string, { state: FieldState; payload: unknown; jiraValue: string }>();
    for (const field of editable) {
      const state = byField.get(field)!;
      if (field === 'title') {
        const summary = summaryOf(state.incidentValue);
        pending.set('summary', { state, payload: summary, jiraValue: summary });
      } else if (field === 'description') {
        const rendered = await renderTicketDescription(deps, incidentId);
        pending.set('description', { state, payload: rendered, jiraValue: normalizeWiki(rendered) });
      } else {
        const write = priorityWrite(Number(state.incidentValue), deps.config.mapping.jira);
        pending.set(deps.config.mapping.jira.fields.priority.id, { state, ...write });
      }
    }
    for (let round = 0; round < 2 && pending.size > 0; round += 1) {
      for (const entry of pending.values()) {
        await addSyncMark(deps.prisma, {
          incidentId,
          field: entry.state.field,
          value: entry.jiraValue,
          incidentValue: entry.state.incidentValue,
        });
      }
      try {
        await jira.editIssue(
          pass.ticket.key,
          Object.fromEntries([...pending].map(([id, entry]) => [id, entry.payload])),
        );
        written.push(...[...pending.values()].map(({ state, jiraValue }) => ({ state, jiraValue })));
        pending.clear();
      } catch (thrown) {
        const error = asAppError(thrown);
        if (error.retryable) throw error;
        const refusedIds = Object.keys((error.details.fieldErrors ?? {}) as Record<string, string>).filter(
          (id) => pending.has(id),
        );
        const partial = refusedIds.length > 0 && refusedIds.length < pending.size && round === 0;
        for (const [id, entry] of [...pending]) {
          if (partial && !refusedIds.includes(id)) continue;
          failed.push({ state: entry.state, error });
          pending.delete(id);
        }
      }
    }
  }
  const commander = byField.get('commander');
  if (commander) {
    const account = pass.commanderAccount;
    if (!account) {
      skipped.push({ state: commander, reason: 'the commander has no Jira account (no exact email match)' });
    } else {
      await run(['commander'], async () => {
        await addSyncMark(deps.prisma, {
          incidentId,
          field: 'commander',
          value: account,
          incidentValue: commander.incidentValue,
        });
        await jira.assignIssue(pass.ticket.key, account);
        return [{ state: commander, jiraValue: account }];
      });
    }
  }
  const status = byField.get('status');
  const progress = { reached: status?.jiraValue ?? '' };
  if (status) {
    await run(['status'], async () => [
      { state: status, jiraValue: await transitionTo(deps, jira, pass, status, progress) },
    ]);
  }

  const entries: JournalEntry[] = [];
  const common = { incidentId, direction: 'OUTBOUND' as const, actor: 'incident bot' };
  for (const { state, jiraValue } of written) {
    await recordAgreement(deps.prisma, incidentId, state.field, {
      incidentValue: state.incidentValue,
      jiraValue,
    });
    entries.push({
      ...common,
      field: state.field,
      fromValue: state.jiraValue,
      toValue: jiraValue,
      outcome: 'applied',
      reason: pass.trigger.kind === 'change' ? undefined : reasonOf(pass.trigger),
    });
  }
  for (const { state, reason } of skipped) {
    await recordAgreement(deps.prisma, incidentId, state.field, {
      incidentValue: state.incidentValue,
      jiraValue: state.jiraValue,
    });
    entries.push({
      ...common,
      field: state.field,
      fromValue: state.jiraValue,
      toValue: state.incidentValue,
      outcome: 'skipped',
      reason,
    });
  }
  for (const { state, error } of failed) {
    // Jira refused for good: remember where the ticket stands (a status path may have stopped
    // half-way), so the same refusal is not retried on every pass.
    await recordAgreement(deps.prisma, incidentId, state.field, {
      incidentValue: state.incidentValue,
      jiraValue: state.field === 'status' ? progress.reached : state.jiraValue,
    });
    entries.push({
      ...common,
      field: state.field,
      fromValue: state.jiraValue,
      toValue: state.incidentValue,
      outcome: 'failed',
      reason: `${error.code}: ${error.userMessage}`,
    });
    await tellIncident(
      deps.prisma,
      incidentId,
      `push-failed:${state.field}:${state.incidentValue}:${pass.incident.updateCount}`,
      jiraPushFailed(pass.ticket, state.field, error.userMessage),
    );
  }
  await journal(deps.prisma, entries);
}
