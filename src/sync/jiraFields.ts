import type { Mapping } from '../config/index.js';
import { incidentStatusFromJira, priorityFromJira, type SyncedField } from '../domain/jiraSync.js';
import { fieldValue, jiraPriorityName } from '../domain/jiraTicket.js';
import type { IncidentStatus } from '../domain/statusMachine.js';
import { stripUnsafe, truncateText } from '../domain/userText.js';
import { jiraTime, type JiraGateway, type JiraIssueSnapshot } from '../jira/gateway.js';
import { descriptionFromWiki, normalizeWiki } from './description.js';

/**
 * Each synced field as one string per side, the way the sync compares, stores (SyncField,
 * SyncMark) and journals them. Incident side: status name, priority 1–5, title, description,
 * commander's Slack id. Jira side: status name, the priority field's value, summary, description
 * wiki text, assignee account id ('' = none).
 */
export type FieldValues = Record<SyncedField, string>;

/** Jira field ids the sync reads, from the mapping. */
export const syncFieldIds = (jira: Mapping['jira']) => [
  'status',
  'summary',
  'description',
  'assignee',
  'updated',
  jira.fields.priority.id,
];

/** Which Jira field id carries which synced field (changelog items are matched on field id). */
export function syncedFieldOfJiraId(jira: Mapping['jira']): Map<string, SyncedField> {
  return new Map<string, SyncedField>([
    ['status', 'status'],
    ['summary', 'title'],
    ['description', 'description'],
    ['assignee', 'commander'],
    [jira.fields.priority.id, 'priority'],
  ]);
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** A priority field value as text, whatever its kind (`{value}`, `{name}`, a number). */
export function priorityFieldText(value: unknown): string {
  const object = record(value);
  if (object) return text(object.value ?? object.name ?? object.id);
  return text(value);
}

/** The Jira side of the synced fields, from a fresh read of the issue. */
export function jiraValuesOf(issue: JiraIssueSnapshot, jira: Mapping['jira']): FieldValues {
  const { fields } = issue;
  return {
    status: text(record(fields.status)?.name),
    priority: priorityFieldText(fields[jira.fields.priority.id]),
    title: text(fields.summary),
    description: normalizeWiki(text(fields.description)),
    commander: text(record(fields.assignee)?.accountId),
  };
}

/** `issue.fields.updated` as a date (Jira writes `2019-02-11T11:27:55.000+0000`). */
export function jiraUpdatedAt(issue: JiraIssueSnapshot): Date | undefined {
  const date = jiraTime(text(issue.fields.updated));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Summary is plain text in Jira, at most 255 characters. */
export const summaryOf = (title: string) => truncateText(stripUnsafe(title.trim()), 255);

/**
 * Do both sides say the same? Mappings are many-to-one (Investigating and Mitigating are both
 * "in progress"), so agreement is judged through them, not by equal strings.
 * `commanderAccount`: the commander's Jira account, when known.
 */
export function sidesAgree(
  field: SyncedField,
  incident: string,
  jiraValue: string,
  context: { jira: Mapping['jira']; commanderAccount: string | undefined },
): boolean {
  const { jira } = context;
  const same = (a: string | undefined, b: string | undefined) =>
    a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
  switch (field) {
    case 'status':
      // "Pending resolution" and "Incoming" both mean OPEN: either agrees with an OPEN incident.
      return (
        same(jira.statusToJira[incident as IncidentStatus], jiraValue) ||
        incidentStatusFromJira(jiraValue, jira.statusFromJira) === incident
      );
    case 'priority':
      return priorityFromJira(jiraValue, jira.priorityNames) === Number(incident);
    case 'title':
      return summaryOf(incident) === jiraValue;
    case 'description':
      return descriptionFromWiki(jiraValue) === incident.trim();
    case 'commander':
      return context.commanderAccount !== undefined && context.commanderAccount === jiraValue;
  }
}

/** The incident status a Jira status means (undefined: unmapped, nothing to do). */
export const statusFromJira = (jiraStatus: string, jira: Mapping['jira']) =>
  incidentStatusFromJira(jiraStatus, jira.statusFromJira);

/** The Jira priority field's write payload and the value Jira will then hold. */
export function priorityWrite(
  priority: number,
  jira: Mapping['jira'],
): { payload: unknown; jiraValue: string } {
  const spec = jira.fields.priority;
  const value = spec.kind === 'jiraPriority' ? jiraPriorityName(priority, jira) : String(priority);
  return { payload: fieldValue(spec, value), jiraValue: value };
}

/** When a person last changed each synced field in Jira (the bot's own writes left out). */
export async function lastJiraChanges(
  jira: JiraGateway,
  key: string,
  mapping: Mapping['jira'],
  botAccount: string | undefined,
): Promise<Partial<Record<SyncedField, Date>>> {
  const byJiraId = syncedFieldOfJiraId(mapping);
  const latest: Partial<Record<SyncedField, Date>> = {};
  for (const [fieldId, at] of await jira.fieldChangeTimes(key, botAccount)) {
    const field = byJiraId.get(fieldId);
    if (field && (!latest[field] || latest[field] < at)) latest[field] = at;
  }
  return latest;
}
