import type { KnownBlock } from '@slack/types';
import { OPEN_UPDATE_ACTION } from './closeRefusal.js';

/** The nudge when an incident went quiet: what the reference says, plus a button to act on it. */
export function updateReminder(incidentId: number): { text: string; blocks: KnownBlock[] } {
  const text = ':robot_face: Reminder to update this incident :robot_face:';
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${text}\nNo update for a while: where does it stand?` },
        accessory: {
          type: 'button',
          action_id: OPEN_UPDATE_ACTION,
          text: { type: 'plain_text', text: 'Update the incident' },
          value: String(incidentId),
        },
      },
    ],
  };
}

export const postMortemReminderText = (incidentId: number) =>
  `:memo: Incident #${incidentId} was mitigated a while ago and its post-mortem is not linked yet. Please start it.`;
