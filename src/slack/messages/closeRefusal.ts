import type { KnownBlock } from '@slack/types';
import type { ClosureCheck } from '../../domain/closure.js';
import { mrkdwn } from '../escape.js';
import { keyEventsButton } from '../views/keyEventsView.js';

export const OPEN_UPDATE_ACTION = 'open_update_modal';

/** Reasons that the update modal can fix (status; key events come with the key-events form). */
const fixedByUpdate = new Set(['STATUS_NOT_MITIGATED', 'STATUS_NOT_POST_MORTEM']);

/** "This incident cannot be closed yet": one block per reason, a button where one fixes it. */
export function closeRefusal(
  incidentId: number,
  check: ClosureCheck,
): { text: string; blocks: KnownBlock[] } {
  const text = `:no_entry: Incident #${incidentId} cannot be closed yet.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } },
      ...check.reasons.map((reason): KnownBlock => ({
        type: 'section',
        block_id: `reason_${reason.code}`,
        text: { type: 'mrkdwn', text: `• ${mrkdwn(reason.message)}` },
        ...(reason.code === 'MISSING_REQUIRED_KEY_EVENTS' ? { accessory: keyEventsButton(incidentId) } : {}),
        ...(fixedByUpdate.has(reason.code)
          ? {
              accessory: {
                type: 'button',
                action_id: OPEN_UPDATE_ACTION,
                text: { type: 'plain_text', text: 'Update the incident' },
                value: String(incidentId),
              },
            }
          : {}),
      })),
    ],
  };
}
