import type { KnownBlock, View } from '@slack/types';
import type { Mapping } from '../../config/index.js';
import { DESCRIPTION_MAX, TITLE_MAX } from '../../domain/openIncidentForm.js';
import { IMPACT, isImpacted } from '../../domain/impacts.js';
import { isCritical } from '../../domain/priorities.js';
import { priorityPreview } from './openImpactsView.js';

export const OPEN_DETAILS_CALLBACK = 'open_incident_details';

/** block_id of each details field; view_submission field errors are keyed by these. */
export const detailsBlocks = {
  title: 'title',
  description: 'description',
  category: 'category',
  environments: 'environments',
  platforms: 'platforms',
  featureTeam: 'featureTeam',
  customerTicketId: 'customerTicketId',
  sellerContractId: 'sellerContractId',
  sellerTicketId: 'sellerTicketId',
} as const;
export const VALUE_ACTION = 'value';

/** Carried from step 1 to step 2 (and to the declare command) in private_metadata. */
export interface OpenFlowState {
  impacts: Record<string, string>;
  priority: number;
  /** Where /incident was typed, for replies. */
  channelId?: string | undefined;
}

const text = (value: string) => ({ type: 'plain_text' as const, text: value, emoji: true });
const option = (value: string, label = value) => ({ text: text(label), value });

function textInput(
  blockId: string,
  label: string,
  options: { multiline?: boolean; max?: number; optional?: boolean; hint?: string },
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: text(label),
    ...(options.hint ? { hint: text(options.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: VALUE_ACTION,
      multiline: options.multiline ?? false,
      ...(options.max ? { max_length: options.max } : {}),
    },
  };
}

/** Step 2: what, where, who. Conditional fields follow the impacts chosen in step 1. */
export function openDetailsView(
  state: OpenFlowState,
  mapping: Pick<Mapping, 'catalog' | 'vocabulary'>,
  warning: string | undefined,
): View {
  const { catalog, vocabulary } = mapping;
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [{ type: 'mrkdwn', text: priorityPreview(state.priority, vocabulary) }] },
  ];
  if (warning) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: warning } });
  blocks.push(
    textInput(detailsBlocks.title, 'Title', {
      max: TITLE_MAX,
      hint: 'What is broken, in a few words (10–128 characters).',
    }),
    textInput(detailsBlocks.description, 'Summary', {
      multiline: true,
      max: DESCRIPTION_MAX,
      hint: 'What do you see, since when, who is affected?',
    }),
    {
      type: 'input',
      block_id: detailsBlocks.category,
      label: text('Category'),
      element: {
        type: 'static_select',
        action_id: VALUE_ACTION,
        placeholder: text('Choose a category'),
        option_groups: catalog.groups.map((group) => ({
          label: text(group.name),
          options: group.categories.map((category) =>
            option(category.name, category.private ? `${category.name} 🔒` : category.name),
          ),
        })),
      },
    },
    {
      type: 'input',
      block_id: detailsBlocks.environments,
      label: text('Environments'),
      element: {
        type: 'multi_static_select',
        action_id: VALUE_ACTION,
        options: catalog.environments.map((environment) =>
          option(environment.value, `${environment.value} — ${environment.name}`),
        ),
        initial_options: catalog.environments
          .filter((environment) => environment.default)
          .map((environment) => option(environment.value, `${environment.value} — ${environment.name}`)),
      },
    },
    {
      type: 'input',
      block_id: detailsBlocks.platforms,
      label: text('Platforms'),
      element: {
        type: 'multi_static_select',
        action_id: VALUE_ACTION,
        options: catalog.platforms.map((platform) => option(platform.value)),
        initial_options: catalog.platforms
          .filter((platform) => platform.default)
          .map((platform) => option(platform.value)),
      },
    },
  );
  if (!isCritical(state.priority) && catalog.featureTeams.length > 0) {
    blocks.push({
      type: 'input',
      block_id: detailsBlocks.featureTeam,
      label: text('Feature team'),
      optional: true, // required for P4–P5, enforced on submit with the reference's message
      element: {
        type: 'static_select',
        action_id: VALUE_ACTION,
        placeholder: text('Which team owns this?'),
        options: catalog.featureTeams.map((team) => option(team)),
      },
    });
  }
  if (isImpacted(state.impacts, IMPACT.customers)) {
    blocks.push(
      textInput(detailsBlocks.customerTicketId, 'Customer ticket id', { optional: true, max: 128 }),
    );
  }
  if (isImpacted(state.impacts, IMPACT.sellers)) {
    blocks.push(
      textInput(detailsBlocks.sellerContractId, 'Seller contract id', { optional: true, max: 128 }),
      textInput(detailsBlocks.sellerTicketId, 'Seller ticket id', { optional: true, max: 128 }),
    );
  }
  return {
    type: 'modal',
    callback_id: OPEN_DETAILS_CALLBACK,
    private_metadata: JSON.stringify(state),
    title: text('Open an incident'),
    submit: text('Open incident'),
    close: text('Back'),
    blocks,
  };
}
