import type { PrismaClient } from '../../src/db/prisma.js';
import { fixtureJson } from './fixtures.js';
import { interactiveBody, postSigned } from './slackRequests.js';
import { reporter } from './openFlowPayloads.js';

/** What a responder leaves in the update modal; absent fields keep the incident's value. */
export interface UpdateForm {
  status: string;
  priority: number;
  title: string;
  description: string;
  category: string;
  environments: string[];
  commander: string;
  communicationLead?: string | null;
  message?: string | null;
}

const select = (value: string) => ({
  type: 'static_select',
  selected_option: { text: { type: 'plain_text', text: value }, value },
});

/** The update modal's view_submission, shaped like the real capture (fixtures/slack/view_submission.json). */
export function updateSubmission(
  incidentId: number,
  updateCount: number,
  form: UpdateForm,
  user: { id: string } = reporter,
) {
  const base = fixtureJson<Record<string, unknown> & { view: Record<string, unknown> }>(
    'slack/view_submission.json',
  );
  const values = {
    status: { value: select(form.status) },
    message: { value: { type: 'plain_text_input', value: form.message ?? null } },
    priority: { value: select(String(form.priority)) },
    title: { value: { type: 'plain_text_input', value: form.title } },
    description: { value: { type: 'plain_text_input', value: form.description } },
    category: { value: select(form.category) },
    environments: {
      value: {
        type: 'multi_static_select',
        selected_options: form.environments.map((value) => ({
          text: { type: 'plain_text', text: value },
          value,
        })),
      },
    },
    commander: { value: { type: 'users_select', selected_user: form.commander } },
    communicationLead: { value: { type: 'users_select', selected_user: form.communicationLead ?? null } },
  };
  return {
    ...base,
    team: { id: 'T0TEST', domain: 'example-workspace' },
    user: { ...reporter, ...user },
    view: {
      ...base.view,
      id: `V0UPD${incidentId}x${updateCount}x${Math.random().toString(36).slice(2, 8)}`,
      callback_id: 'update_incident',
      private_metadata: JSON.stringify({ incidentId, updateCount }),
      blocks: [],
      hash: 'h',
      state: { values },
    },
  };
}

/** What the update modal's submission is answered with (field errors, or a clear). */
export type ModalAnswer = { response_action?: string; errors?: Record<string, string> };

/**
 * Submit the update form, filled in with the incident as it is now plus the given changes
 * (what a responder does), through the signed receiver. `seen`: the update count the form was
 * opened at (defaults to the current one).
 */
export async function submitUpdate(
  harness: { baseUrl: string },
  prisma: PrismaClient,
  incidentId: number,
  changes: Partial<UpdateForm>,
  options: { seen?: number; user?: { id: string } } = {},
): Promise<ModalAnswer & { httpStatus: number }> {
  const incident = await prisma.incident.findUniqueOrThrow({
    where: { id: incidentId },
    include: {
      category: true,
      environments: { include: { environment: true } },
      roles: { include: { roleType: true, user: true } },
      _count: { select: { updates: { where: { eventType: { notIn: ['KEY_EVENT', 'NOTE'] } } } } },
    },
  });
  const form: UpdateForm = {
    status: incident.status,
    priority: incident.priorityId,
    title: incident.title,
    description: incident.description,
    category: incident.category.name,
    environments: incident.environments.map((link) => link.environment.value),
    commander: incident.roles.find((role) => role.roleType.slug === 'commander')!.user.slackUserId!,
    ...changes,
  };
  const response = await postSigned(
    harness.baseUrl,
    interactiveBody(
      updateSubmission(incidentId, options.seen ?? incident._count.updates, form, options.user),
    ),
  );
  const raw = await response.text();
  return { httpStatus: response.status, ...(raw ? (JSON.parse(raw) as ModalAnswer) : {}) };
}

/** The key-events modal's view_submission (times in UNIX seconds, as the datetimepicker sends). */
export function keyEventsSubmission(
  incidentId: number,
  updateCount: number,
  times: Record<string, number | null>,
  /** The private_metadata of the form the bot opened (default: incident and count only). */
  privateMetadata = JSON.stringify({ incidentId, updateCount }),
) {
  const base = fixtureJson<Record<string, unknown> & { view: Record<string, unknown> }>(
    'slack/view_submission.json',
  );
  const values = Object.fromEntries(
    ['STARTED', 'DETECTED', 'RECOVERED', 'MITIGATED', 'RESOLVED'].map((type) => [
      `keyEvent:${type}`,
      { value: { type: 'datetimepicker', selected_date_time: times[type] ?? null } },
    ]),
  );
  return {
    ...base,
    team: { id: 'T0TEST', domain: 'example-workspace' },
    user: reporter,
    view: {
      ...base.view,
      id: `V0KEY${incidentId}x${Object.values(times).join('x')}`,
      callback_id: 'key_events',
      private_metadata: privateMetadata,
      blocks: [],
      hash: 'h',
      state: { values },
    },
  };
}
