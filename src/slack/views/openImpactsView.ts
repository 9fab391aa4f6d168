import type { View } from '@slack/types';
import {
  impactLevels,
  impactTypes,
  priorityFromImpacts,
  type ImpactLevelValue,
} from '../../domain/impacts.js';
import { isCritical, priorityByValue } from '../../domain/priorities.js';

export const OPEN_IMPACTS_CALLBACK = 'open_incident_impacts';
export const IMPACT_ACTION = 'impact_level';
export const impactBlockId = (slug: string) => `impact_${slug}`;

/** "P2 ⛈️ — Major issue impacting customers (channel + Jira ticket)", or a hint when nothing is chosen. */
export function priorityPreview(priority: number | undefined): string {
  if (priority === undefined) return ':point_up: Choose at least one impact to get a priority.';
  const definition = priorityByValue(priority);
  const response = isCritical(priority) ? 'dedicated Slack channel + Jira ticket' : 'Jira ticket, no channel';
  return `*Priority: ${definition.emoji} ${definition.name}* — ${definition.description} (${response})`;
}

/** Step 1: one select per impact type; the priority updates live as levels are chosen. */
export function openImpactsView(
  selected: Record<string, ImpactLevelValue> = {},
  privateMetadata = '{}',
): View {
  const priority = priorityFromImpacts(Object.values(selected));
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
      ...impactTypes.map((type) => {
        // Every impact starts at "No impact": a responder picks only what is hit.
        const current = selected[type.slug] ?? 'NO';
        const option = (value: ImpactLevelValue) => {
          const level = impactLevels.find((candidate) => candidate.value === value)!;
          return {
            text: { type: 'plain_text' as const, text: `${level.name} (${level.value})` },
            value: level.value,
          };
        };
        return {
          type: 'input' as const,
          block_id: impactBlockId(type.slug),
          dispatch_action: true,
          label: { type: 'plain_text' as const, text: `${type.emoji} ${type.name}` },
          element: {
            type: 'static_select' as const,
            action_id: IMPACT_ACTION,
            placeholder: { type: 'plain_text' as const, text: 'Choose a level' },
            options: impactLevels.map((level) => option(level.value)),
            initial_option: option(current),
          },
        };
      }),
      {
        type: 'context',
        block_id: 'priority_preview',
        elements: [{ type: 'mrkdwn', text: priorityPreview(priority) }],
      },
    ],
  };
}
