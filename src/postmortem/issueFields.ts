import { createHash } from 'node:crypto';
import type { JiraFieldSpec, Mapping } from '../config/index.js';
import type { IncidentCard } from '../db/repositories/incidentCard.js';
import { addBusinessDays, postMortemMarker, postMortemSummary } from '../domain/postMortem.js';
import { fieldValue, type TicketSource, ticketFields, ticketProject } from '../domain/jiraTicket.js';
import {
  POSTMORTEM_SECTIONS,
  type PostMortemData,
  type PostMortemSection,
  type PostMortemTemplates,
} from './templates.js';

const sectionField: Record<PostMortemSection, keyof Mapping['postMortem']['fields']> = {
  incident_summary: 'incidentSummary',
  timeline: 'timeline',
  impact: 'impact',
  mitigation_actions: 'mitigationActions',
  root_causes: 'rootCauses',
};

/** The field the timeline lives in (re-rendered when the incident changes), if mapped. */
export const timelineField = (mapping: Mapping): JiraFieldSpec | null => mapping.postMortem.fields.timeline;

/** How a rendered timeline is remembered: an unchanged one is never sent again. */
export const timelineHash = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The create-issue `fields` of the post-mortem: project and type from the mapping, summary
 * `#{channel} ({P}) {title}`, due date, the marker label, each rendered section in its mapped
 * field (sections without a field go to the description, so nothing is lost), the category, and
 * the incident ticket's mapped custom fields copied (`copied` lists their ids: the first to drop
 * if the post-mortem's screen refuses them).
 */
export function postMortemFields(input: {
  mapping: Mapping;
  card: IncidentCard;
  data: PostMortemData;
  templates: PostMortemTemplates;
  ticketSource: TicketSource;
  markerId: string;
  /** When the due date counts from: the mitigation. */
  now: Date;
}): { projectKey: string; fields: Record<string, unknown>; copied: string[]; timeline: string } {
  const { mapping, card } = input;
  const pm = mapping.postMortem;
  // A private incident's post-mortem carries its whole story: it goes where its ticket went
  // (a restricted project routed by category or team), never into the shared post-mortem project.
  const projectKey = card.category.isPrivate
    ? ticketProject(input.ticketSource, mapping.jira)
    : pm.projectKey;
  const fields: Record<string, unknown> = {
    project: { key: projectKey },
    issuetype: { name: pm.issueType },
    summary: postMortemSummary({
      incidentId: card.id,
      channelName: card.channel?.name ?? null,
      priorityName: card.priority.name,
      title: card.title,
    }),
    duedate: addBusinessDays(input.now, pm.dueBusinessDays, mapping.reminders.timeZone),
    labels: [...new Set([...mapping.jira.labels, postMortemMarker(input.markerId, card.id)])],
  };
  const unmapped: string[] = [];
  let timeline = '';
  for (const section of POSTMORTEM_SECTIONS) {
    const text = input.templates.render(section, input.data);
    if (section === 'timeline') timeline = text;
    const spec = pm.fields[sectionField[section]];
    if (spec) fields[spec.id] = fieldValue(spec, text);
    else unmapped.push(text);
  }
  if (unmapped.length > 0) fields.description = unmapped.join('\n\n');
  if (pm.fields.incidentCategory)
    fields[pm.fields.incidentCategory.id] = fieldValue(pm.fields.incidentCategory, card.category.name);
  const ticket = ticketFields(input.ticketSource, mapping.jira).fields;
  const copied = Object.keys(ticket).filter((id) => id.startsWith('customfield_') && !(id in fields));
  for (const id of copied) fields[id] = ticket[id];
  return { projectKey, fields, copied, timeline };
}
