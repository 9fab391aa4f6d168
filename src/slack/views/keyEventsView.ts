import type { KnownBlock, View } from '@slack/types';
import { keyEventTypes, type KeyEventType, type KeyEvents } from '../../domain/keyEvents.js';
import { plainText } from '../escape.js';

export const KEY_EVENTS_CALLBACK = 'key_events';
export const OPEN_KEY_EVENTS_ACTION = 'open_key_events';
/** Field errors are keyed `keyEvent:<TYPE>`, as the change path reports them. */
export const keyEventBlock = (type: KeyEventType) => `keyEvent:${type}`;

const editable = keyEventTypes.filter((type) => type !== 'DECLARED');
const names: Record<KeyEventType, string> = {
  STARTED: 'Started (impact began)',
  DETECTED: 'Detected',
  DECLARED: 'Declared',
  RECOVERED: 'Recovered (impact ended)',
  MITIGATED: 'Mitigated',
  RESOLVED: 'Resolved (root cause fixed)',
};

/** Each editable event's time as the picker shows it (whole seconds). */
export function shownSeconds(events: KeyEvents): Partial<Record<KeyEventType, number>> {
  return Object.fromEntries(
    editable.flatMap((type) => (events[type] ? [[type, Math.floor(events[type].getTime() / 1000)]] : [])),
  );
}

/** Date-time pickers for the key events; declared is shown, not editable (it is when we opened). */
export function keyEventsView(incidentId: number, updateCount: number, events: KeyEvents): View {
  const declared = events.DECLARED;
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: declared
            ? `Declared <!date^${Math.floor(declared.getTime() / 1000)}^{date_short_pretty} {time}|${declared.toISOString()}>. Started ≤ detected ≤ declared; nothing in the future.`
            : 'Started ≤ detected ≤ declared; nothing in the future.',
        },
      ],
    },
    ...editable.map((type): KnownBlock => ({
      type: 'input',
      block_id: keyEventBlock(type),
      optional: true,
      label: { type: 'plain_text', text: names[type] },
      element: {
        type: 'datetimepicker',
        action_id: 'value',
        ...(events[type] ? { initial_date_time: Math.floor(events[type].getTime() / 1000) } : {}),
      },
    })),
  ];
  return {
    type: 'modal',
    callback_id: KEY_EVENTS_CALLBACK,
    // What the pickers showed: only the events the person changed are saved, so an event someone
    // else set meanwhile is not put back (key events do not count as changes of the incident).
    private_metadata: JSON.stringify({ incidentId, updateCount, shown: shownSeconds(events) }),
    title: { type: 'plain_text', text: plainText(`Key events #${incidentId}`, 24) },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** The button that opens this form (in the channel, on a close refusal, in the update form). */
export const keyEventsButton = (incidentId: number) => ({
  type: 'button' as const,
  action_id: OPEN_KEY_EVENTS_ACTION,
  text: { type: 'plain_text' as const, text: 'Add key events' },
  value: String(incidentId),
});
