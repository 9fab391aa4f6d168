import { fixtureJson } from './fixtures.js';
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
