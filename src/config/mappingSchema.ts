import { z } from 'zod';
import { statuses as incidentStatuses } from '../domain/statusMachine.js';

/**
 * How a value is written into a Jira field:
 * option → {"value": v}; options → [{"value": v}, …]; text → "v"; number → n; labels → ["v", …];
 * jiraPriority → {"name": v}, Jira's own priority field (the name comes from priorityToJira).
 */
export const fieldKinds = ['option', 'options', 'text', 'number', 'labels', 'jiraPriority'] as const;

const fieldId = z
  .string()
  .regex(/^(customfield_\d+|[a-z][a-zA-Z]*)$/, 'must be a Jira field id such as customfield_10201');

// Every object is strict: a misspelt key (incidentChannelId for incidentsChannelId) would
// otherwise be dropped silently and quietly switch a feature off. Records keyed by user data
// (respondersByCategory, projectByCategory, …) stay open by nature.
export const jiraFieldSchema = z
  .strictObject({ id: fieldId, kind: z.enum(fieldKinds) })
  // Jira's priority is a system field with a fixed id; any other id with this kind is a mistake
  // Jira would only report at the first ticket.
  .refine((spec) => spec.kind !== 'jiraPriority' || spec.id === 'priority', {
    message: "kind jiraPriority writes Jira's own priority field: its id must be priority",
    path: ['id'],
  });
export type JiraFieldSpec = z.infer<typeof jiraFieldSchema>;

const optionalField = jiraFieldSchema.nullable().default(null);
const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]+$/, 'must be a Slack channel id such as C0123ABCD');
const slackUserId = z.string().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U0123ABCD');
const projectKey = z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'must be a Jira project key such as INC');

const categorySchema = z.strictObject({
  name: z.string().min(1).max(60),
  private: z.boolean().default(false),
});

const priorityWords = z.strictObject({ emoji: z.string().min(1), description: z.string().min(1).max(150) });
const levelName = z.string().min(1).max(40);

/** What responders read: priority emoji and descriptions, impact types and level names. */
const vocabularySchema = z.strictObject({
  priorities: z.strictObject({
    P1: priorityWords,
    P2: priorityWords,
    P3: priorityWords,
    P4: priorityWords,
    P5: priorityWords,
  }),
  impactTypes: z
    .array(
      z.strictObject({
        slug: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'must be a slug such as customers_impact'),
        name: z.string().min(1).max(60),
        emoji: z.string().max(16).default(''),
      }),
    )
    .min(1)
    .max(10)
    .refine(
      (types) => new Set(types.map((type) => type.slug)).size === types.length,
      'impact type slugs must be unique',
    ),
  impactLevels: z.strictObject({
    HT: levelName,
    HI: levelName,
    MD: levelName,
    LO: levelName,
    LT: levelName,
    NO: levelName,
  }),
});

export const mappingSchema = z.strictObject({
  slack: z.strictObject({
    /** The slash command, with its slash. Aliases answer the same way. */
    command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/, 'must look like /incident'),
    aliases: z.array(z.string().regex(/^\/[a-z0-9_-]{1,31}$/)),
    /** Where P1–P3 production incidents are announced (unless private). */
    incidentsChannelId: slackChannelId.nullable(),
    /** Where P4–P5 incidents are announced; the high one when business impact is high. */
    alertChannelId: slackChannelId.nullable(),
    alertChannelHighId: slackChannelId.nullable(),
    /** Invited into every incident channel. */
    responders: z.array(slackUserId),
    /** Invited into channels of these categories (by category name). */
    respondersByCategory: z.record(z.string(), z.array(slackUserId)),
    /** May run admin subcommands such as `doctor`. Empty = everyone. */
    admins: z.array(slackUserId),
    /** Link to the incident's page, `{id}` replaced; bookmarked as "Incident Page" when set. */
    incidentUrlTemplate: z
      .string()
      .regex(/^https?:\/\/.*\{id\}/, 'must be an http(s) URL containing {id}')
      .nullable(),
  }),
  jira: z.strictObject({
    projectKey,
    issueType: z.string().min(1),
    projectByFeatureTeam: z.record(z.string(), projectKey),
    projectByCategory: z.record(z.string(), projectKey),
    /** Reporter when the creator has no Jira account we can find. */
    fallbackReporterAccountId: z.string().min(1).nullable(),
    labels: z.array(z.string().regex(/^\S+$/, 'labels cannot contain spaces')),
    fields: z.strictObject({
      priority: jiraFieldSchema,
      environments: optionalField,
      platforms: optionalField,
      businessImpact: optionalField,
      category: optionalField,
      featureTeam: optionalField,
      customerTicketId: optionalField,
      sellerContractId: optionalField,
      sellerTicketId: optionalField,
    }),
    /** Business impact level → the value of the business impact field; missing = field omitted. */
    businessImpactValues: z.record(z.string(), z.string()),
    /** Incident status → the Jira status the ticket should be in. */
    statusToJira: z.record(z.enum(incidentStatuses), z.string().min(1)),
    /** Jira status name (case-insensitive) → incident status. Unmapped statuses are ignored. */
    statusFromJira: z.record(z.string(), z.enum(incidentStatuses)),
    /** Statuses a transition path may end in but never pass through. */
    terminalStatuses: z.array(z.string()),
    /** Incident priority → Jira priority name, written when fields.priority has kind jiraPriority. */
    priorityToJira: z.strictObject({
      P1: z.string().min(1),
      P2: z.string().min(1),
      P3: z.string().min(1),
      P4: z.string().min(1),
      P5: z.string().min(1),
    }),
    /** Legacy Jira priority names → priority value 1..5. */
    priorityNames: z.record(z.string(), z.number().int().min(1).max(5)),
  }),
  postMortem: z.strictObject({
    projectKey,
    issueType: z.string().min(1),
    /** Jira status of the post-mortem issue that lets the incident close. */
    readyStatus: z.string().min(1),
    /**
     * Folder of the post-mortem templates (incident_summary.eta, timeline.eta, impact.eta,
     * mitigation_actions.eta, root_causes.eta); relative paths start from the working directory.
     * Null: the shipped templates/postmortem.
     */
    templatesDir: z.string().min(1).nullable().default(null),
    linkTypes: z.array(z.string().min(1)).min(1),
    dueBusinessDays: z.number().int().min(1).max(365),
    fields: z.strictObject({
      incidentSummary: optionalField,
      timeline: optionalField,
      impact: optionalField,
      mitigationActions: optionalField,
      rootCauses: optionalField,
      incidentCategory: optionalField,
    }),
  }),
  catalog: z.strictObject({
    environments: z
      .array(
        z.strictObject({ value: z.string().regex(/^[A-Z0-9_-]+$/), name: z.string(), default: z.boolean() }),
      )
      .min(1),
    platforms: z.array(z.strictObject({ value: z.string().min(1), default: z.boolean() })).min(1),
    /** Environments whose P1–P3 incidents are announced in the incidents channel. */
    productionEnvironments: z.array(z.string().regex(/^[A-Z0-9_-]+$/)),
    featureTeams: z.array(z.string().min(1)),
    groups: z
      .array(z.strictObject({ name: z.string().min(1), categories: z.array(categorySchema).min(1) }))
      .min(1),
  }),
  vocabulary: vocabularySchema,
  reminders: z.strictObject({
    /** Update reminders are sent in office hours only, in this time zone (IANA name). */
    timeZone: z.string().refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Paris'),
    officeHours: z.strictObject({
      days: z.array(z.number().int().min(1).max(7)).min(1),
      start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
      end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM'),
    }),
    /** A post-mortem reminder every this many days after mitigation, until it is linked. */
    postMortemEveryDays: z.number().int().min(1).max(60),
  }),
  lifecycle: z.strictObject({
    /**
     * Who may change an incident's status and close it: `channel-members` (the reporter, role
     * holders and the people in its channel) or `commander-and-group` (the commander, plus the
     * members of `statusUserGroupId`).
     */
    statusChangers: z.enum(['channel-members', 'commander-and-group']),
    statusUserGroupId: z
      .string()
      .regex(/^S[A-Z0-9]+$/, 'must be a Slack user group id such as S0123ABCD')
      .nullable(),
  }),
});

export type Mapping = z.infer<typeof mappingSchema>;
