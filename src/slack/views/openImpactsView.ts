import type { View } from '@slack/types';
import type { Mapping } from '../../config/index.js';
import {
  NO_IMPACT_LEVEL,
  impactLevels,
  priorityFromImpacts,
  type ImpactLevelValue,
} from '../../domain/impacts.js';
import { isCritical, priorityLabel } from '../../domain/priorities.js';
import { plainText } from '../escape.js';

export const OPEN_IMPACTS_CALLBACK = 'open_incident_impacts';
export const IMPACT_ACTION = 'impact_level';
export const impactBlockId = (slug: string) => `impact_${slug}`;

type Vocabulary = Mapping['vocabulary'];

/** "P2 ⛈️ — Major issue impacting customers (channel + Jira ticket)", or a hint when nothing is chosen. */
export function priorityPreview(priority: number | undefined, vocabulary: Vocabulary): string {
  if (priority === undefined) return ':point_up: Choose at least one impact to get a priority.';
  const label = priorityLabel(priority, vocabulary.priorities);
  const response = isCritical(priority) ? 'dedicated Slack channel + Jira ticket' : 'Jira ticket, no channel';
  return `*Priority: ${label.emoji} ${label.name}* — ${label.description} (${response})`;
}

/** Step 1: one select per impact type (all at "No impact"); the priority updates live. */
export function openImpactsView(
  vocabulary: Vocabulary,
  selected: Record<string, ImpactLevelValue> = {},
  privateMetadata = '{}',
): View {
  const priority = priorityFromImpacts(Object.values(selected));
  const option = (value: ImpactLevelValue) => ({
    text: {
      type: 'plain_text' as const,
      text: plainText(`${vocabulary.impactLevels[value]} (${value})`, 75),
    },
    value,
  });
  return {
    type: 'modal',
    callback_id: OPEN_IMPACTS_CALLBACK,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Open an incident' },
    submit: { type: 'plain_text', text: 'Next' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*What is impacted?* The priority is the most severe impact.' },
      },
      ...vocabulary.impactTypes.map((type) => ({
        type: 'input' as const,
        block_id: impactBlockId(type.slug),
        dispatch_action: true,
        label: { type: 'plain_text' as const, text: plainText(`${type.emoji} ${type.name}`.trim(), 2000) },
        element: {
          type: 'static_select' as const,
          action_id: IMPACT_ACTION,
          placeholder: { type: 'plain_text' as const, text: 'Choose a level' },
          options: impactLevels.map((level) => option(level.value)),
          // Every impact starts at "No impact": a responder picks only what is hit.
          initial_option: option(selected[type.slug] ?? NO_IMPACT_LEVEL),
        },
      })),
      {
        type: 'context',
        block_id: 'priority_preview',
        elements: [{ type: 'mrkdwn', text: priorityPreview(priority, vocabulary) }],
      },
    ],
  };
}
