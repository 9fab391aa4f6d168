import type { KnownBlock, View } from '@slack/types';
import type { Mapping } from '../../config/index.js';
import type { IncidentForChange } from '../../db/repositories/incidentState.js';
import { DESCRIPTION_MAX, TITLE_MAX } from '../../domain/openIncidentForm.js';
import { priorities, priorityLabel } from '../../domain/priorities.js';
import { allowedTargets, label, type IncidentStatus } from '../../domain/statusMachine.js';
import { plainText } from '../escape.js';
import { keyEventsButton } from './keyEventsView.js';

export const UPDATE_INCIDENT_CALLBACK = 'update_incident';
const VALUE = 'value';

/** Block ids, equal to the change fields, so refusals become field errors where they belong. */
export const updateBlocks = {
  status: 'status',
  message: 'message',
  priority: 'priority',
  title: 'title',
  description: 'description',
  category: 'category',
  environments: 'environments',
  commander: 'commander',
  communicationLead: 'communicationLead',
} as const;

/** What the modal carries to its submission: which incident, and how many changes it had then. */
export interface UpdateViewState {
  incidentId: number;
  updateCount: number;
}

const text = (value: string) => ({ type: 'plain_text' as const, text: plainText(value, 75), emoji: true });
const option = (value: string, shown: string) => ({ text: text(shown), value });

/**
 * `/incident update`: status (only the moves allowed from here, the current one preselected), a
 * message, priority, title, summary, category, environments, commander and communication lead.
 */
export function updateIncidentView(
  incident: IncidentForChange,
  mapping: Pick<Mapping, 'catalog' | 'vocabulary'>,
  needsPostMortem: boolean,
): View {
  const statusOption = (status: IncidentStatus) => option(status, label(status));
  const priorityOption = (value: number) => {
    const words = priorityLabel(value, mapping.vocabulary.priorities);
    return option(String(value), `${words.emoji} ${words.name} — ${words.description}`);
  };
  const categories = mapping.catalog.groups
    .map((group) => ({
      label: text(group.name),
      options: group.categories
        .filter((category) => category.private === incident.isPrivate)
        .map((category) => option(category.name, category.name)),
    }))
    .filter((group) => group.options.length > 0);
  const environmentOption = (value: string) => option(value, value);
  const current = categories
    .flatMap((group) => group.options)
    .find((item) => item.value === incident.category);
  const blocks: KnownBlock[] = [
    {
      type: 'actions',
      block_id: 'keyEvents',
      elements: [{ ...keyEventsButton(incident.id), text: { type: 'plain_text', text: 'Edit key events' } }],
    },
    {
      type: 'input',
      block_id: updateBlocks.status,
      label: text('Status'),
      element: {
        type: 'static_select',
        action_id: VALUE,
        options: allowedTargets(incident.status, needsPostMortem).map(statusOption),
        initial_option: statusOption(incident.status),
      },
    },
    {
      type: 'input',
      block_id: updateBlocks.message,
      optional: true,
      label: text('Update message'),
      hint: text('What changed? Required to reopen a mitigated incident.'),
      element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 2000 },
    },
    {
      type: 'input',
      block_id: updateBlocks.priority,
      label: text('Priority'),
      element: {
        type: 'static_select',
        action_id: VALUE,
        options: priorities.map((priority) => priorityOption(priority.value)),
        initial_option: priorityOption(incident.priority),
      },
    },
    {
      type: 'input',
      block_id: updateBlocks.title,
      label: text('Title'),
      element: {
        type: 'plain_text_input',
        action_id: VALUE,
        initial_value: incident.title,
        max_length: TITLE_MAX,
      },
    },
    {
      type: 'input',
      block_id: updateBlocks.description,
      label: text('Summary'),
      element: {
        type: 'plain_text_input',
        action_id: VALUE,
        multiline: true,
        initial_value: incident.description,
        max_length: DESCRIPTION_MAX,
      },
    },
    {
      type: 'input',
      block_id: updateBlocks.category,
      label: text('Category'),
      element: {
        type: 'static_select',
        action_id: VALUE,
        option_groups: categories,
        ...(current ? { initial_option: current } : {}),
      },
    },
    {
      type: 'input',
      block_id: updateBlocks.environments,
      label: text('Environments'),
      element: {
        type: 'multi_static_select',
        action_id: VALUE,
        options: mapping.catalog.environments.map((environment) => environmentOption(environment.value)),
        initial_options: incident.environments.map(environmentOption),
      },
    },
    {
      type: 'input',
      block_id: updateBlocks.commander,
      label: text('Incident Commander'),
      element: {
        type: 'users_select',
        action_id: VALUE,
        ...(incident.commander ? { initial_user: incident.commander } : {}),
      },
    },
    {
      type: 'input',
      block_id: updateBlocks.communicationLead,
      optional: true,
      label: text('Communication Lead'),
      element: {
        type: 'users_select',
        action_id: VALUE,
        ...(incident.communicationLead ? { initial_user: incident.communicationLead } : {}),
      },
    },
  ];
  const state: UpdateViewState = { incidentId: incident.id, updateCount: incident.updateCount };
  return {
    type: 'modal',
    callback_id: UPDATE_INCIDENT_CALLBACK,
    private_metadata: JSON.stringify(state),
    title: { type: 'plain_text', text: plainText(`Update #${incident.id}`, 24) },
    submit: text('Update'),
    close: text('Cancel'),
    blocks,
  };
}
