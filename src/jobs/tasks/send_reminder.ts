import { z } from 'zod';
import { incidentContact } from '../../db/repositories/incidents.js';
import {
  UPDATE_REMINDER,
  postMortemReminder,
  remindersSince,
  stillQuietSince,
} from '../../db/repositories/reminders.js';
import { findMessage, type MessageType } from '../../db/repositories/slackMessages.js';
import type { AppDeps } from '../../deps.js';
import { postMortemReminderText, updateReminder } from '../../slack/messages/reminders.js';
import { defineTask } from '../defineTask.js';
import { postSurvivingLostAnswer } from '../effects/postOnce.js';
import { incidentPayload } from '../payloads.js';
import { TaskIds } from '../taskIds.js';

const reminderPayload = incidentPayload.extend({
  kind: z.enum(['update', 'postmortem']),
  window: z.number().int().min(0),
  since: z.string().optional(),
  /** The scan's time: the reminder is recorded at it (the back-off counts from it). */
  at: z.string().optional(),
});

/** Post one reminder in the incident's channel, unless it was already sent or is no longer due. */
export default defineTask<AppDeps, typeof reminderPayload>({
  id: TaskIds.sendReminder,
  payload: reminderPayload,
  async run({ incidentId, kind, window, since, at }, { deps }) {
    const contact = await incidentContact(deps.prisma, incidentId);
    if (!contact?.channelId) return;
    let type: MessageType;
    let message: { text: string; blocks?: unknown[] };
    if (kind === 'update') {
      // An update or another reminder since the scan: this one is no longer due.
      if (!since || !(await stillQuietSince(deps.prisma, incidentId, new Date(since)))) return;
      if ((await remindersSince(deps.prisma, incidentId, new Date(since))) !== window) return;
      type = UPDATE_REMINDER;
      message = updateReminder(incidentId);
    } else {
      type = postMortemReminder(window) as MessageType;
      if (await findMessage(deps.prisma, incidentId, type)) return;
      message = { text: postMortemReminderText(incidentId) };
    }
    // One marker per reminder (its kind and window, and for updates the quiet spell it is about):
    // a retry after a lost answer, or after a crash before the record, finds it in the channel.
    await postSurvivingLostAnswer(deps, {
      incidentId,
      marker: `reminder:${kind}:${window}:${since ?? ''}`,
      channel: contact.channelId,
      message,
      type,
      ...(at ? { createdAt: new Date(at) } : {}),
    });
  },
});
