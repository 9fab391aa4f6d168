import type { JiraFieldSpec, Mapping } from '../config/index.js';
import { stripUnsafe, truncateText } from './userText.js';

/** What the ticket is built from: the incident as the Jira mapping sees it. */
export interface TicketSource {
  incidentId: number;
  /** This installation's marker id (namespace of the marker label). */
  markerId: string;
  title: string;
  /** Already rendered wiki text. */
  description: string;
  priority: number;
  environments: string[];
  platforms: string[];
  category: string;
  featureTeam: string | null;
  /** Business impact level value (HT…NO), if chosen. */
  businessImpact: string | null;
  customFields: Record<string, string>;
  reporterAccountId: string | null;
}

/**
 * The label every incident ticket carries: how a retried job finds a ticket Jira already made.
 * Namespaced by installation, so two bots sharing a Jira site never adopt each other's tickets.
 */
export const markerLabel = (markerId: string, incidentId: number) => `incident-bot-${markerId}-${incidentId}`;

/** Jira issue property set at creation, naming the incident (read by humans and the doctor). */
export const INCIDENT_PROPERTY = 'incident-bot';

/** Write a value into a field according to its kind (see config/mapping.default.yml). */
export function fieldValue(spec: JiraFieldSpec, value: string | number | readonly string[]): unknown {
  const list = (Array.isArray(value) ? value : [value]).map(String);
  switch (spec.kind) {
    case 'option':
      return { value: list[0] };
    case 'options':
      return list.map((item) => ({ value: item }));
    case 'text':
      return list.join(', ');
    case 'number':
      return Number(list[0]);
    case 'labels':
      return list.map((item) => item.replace(/\s+/g, '_'));
    case 'jiraPriority':
      return { name: list[0] };
  }
}

/** The Jira priority name configured for an incident priority (1..5). */
export function jiraPriorityName(priority: number, jira: Pick<Mapping['jira'], 'priorityToJira'>): string {
  const key = `P${Math.min(5, Math.max(1, Math.round(priority)))}` as keyof Mapping['jira']['priorityToJira'];
  return jira.priorityToJira[key];
}

/** Feature team's project, else the category's, else the default. */
export function ticketProject(
  source: Pick<TicketSource, 'featureTeam' | 'category'>,
  jira: Mapping['jira'],
): string {
  return (
    (source.featureTeam ? jira.projectByFeatureTeam[source.featureTeam] : undefined) ??
    jira.projectByCategory[source.category] ??
    jira.projectKey
  );
}

/**
 * The `fields` of the create-issue request. Every custom field id comes from the mapping; a role
 * mapped to null, or without a value (business impact N/A, no customer ticket), is left out.
 */
export function ticketFields(
  source: TicketSource,
  jira: Mapping['jira'],
): { projectKey: string; fields: Record<string, unknown> } {
  const projectKey = ticketProject(source, jira);
  const fields: Record<string, unknown> = {
    project: { key: projectKey },
    issuetype: { name: jira.issueType },
    // Summary is plain text in Jira (no wiki), limited to 255 characters.
    summary: truncateText(stripUnsafe(source.title), 255),
    description: source.description,
    labels: [...new Set([...jira.labels, markerLabel(source.markerId, source.incidentId)])],
  };
  if (source.reporterAccountId) fields.reporter = { id: source.reporterAccountId };
  const set = (spec: JiraFieldSpec | null, value: string | number | readonly string[] | null | undefined) => {
    if (!spec || value === null || value === undefined) return;
    if (Array.isArray(value) && value.length === 0) return;
    fields[spec.id] = fieldValue(spec, value);
  };
  const f = jira.fields;
  // Jira's own priority field takes a priority name; a custom field takes the number itself.
  set(
    f.priority,
    f.priority.kind === 'jiraPriority' ? jiraPriorityName(source.priority, jira) : String(source.priority),
  );
  set(f.environments, source.environments);
  set(f.platforms, source.platforms);
  set(f.businessImpact, source.businessImpact ? jira.businessImpactValues[source.businessImpact] : null);
  set(f.category, source.category);
  set(f.featureTeam, source.featureTeam);
  set(f.customerTicketId, source.customFields.customerTicketId);
  set(f.sellerContractId, source.customFields.sellerContractId);
  set(f.sellerTicketId, source.customFields.sellerTicketId);
  return { projectKey, fields };
}
