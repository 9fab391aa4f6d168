import type { View } from '@slack/types';
import { closureReasons } from '../../domain/statusMachine.js';
import { plainText } from '../escape.js';

export const CLOSURE_REASON_CALLBACK = 'close_with_reason';
export const closureBlocks = {
  reason: 'closureReason',
  reference: 'closureReference',
  message: 'message',
} as const;
/** A closure reference (duplicate of which incident, which ticket) is at most this long. */
export const CLOSURE_REFERENCE_MAX = 100;

const reasonNames: Record<string, string> = {
  DUPLICATE: 'Duplicate of another incident',
  FALSE_POSITIVE: 'False positive',
  SUPERSEDED: 'Superseded by another incident',
  EXTERNAL: 'External (not ours to fix)',
  CANCELLED: 'Cancelled',
};

/** Closing an incident that was never mitigated: why (not "resolved"), a reference, a message. */
export function closureReasonView(incidentId: number, updateCount: number): View {
  const text = (value: string) => ({ type: 'plain_text' as const, text: value });
  return {
    type: 'modal',
    callback_id: CLOSURE_REASON_CALLBACK,
    private_metadata: JSON.stringify({ incidentId, updateCount }),
    title: { type: 'plain_text', text: plainText(`Close #${incidentId}`, 24) },
    submit: text('Close incident'),
    close: text('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: closureBlocks.reason,
        label: text('Why close it now?'),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: closureReasons
            .filter((reason) => reason !== 'RESOLVED')
            .map((reason) => ({ text: text(reasonNames[reason] ?? reason), value: reason })),
        },
      },
      {
        type: 'input',
        block_id: closureBlocks.reference,
        optional: true,
        label: text('Reference'),
        hint: text('The incident or ticket this one duplicates or is superseded by.'),
        element: { type: 'plain_text_input', action_id: 'value', max_length: CLOSURE_REFERENCE_MAX },
      },
      {
        type: 'input',
        block_id: closureBlocks.message,
        label: text('Message'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 },
      },
    ],
  };
}
