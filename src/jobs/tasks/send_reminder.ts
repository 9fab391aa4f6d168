import { z } from 'zod';
import { incidentContact } from '../../db/repositories/incidents.js';
import {
  UPDATE_REMINDER,
  postMortemReminder,
  remindersSince,
  stillQuietSince,
} from '../../db/repositories/reminders.js';
import { findMessage, saveMessage, type MessageType } from '../../db/repositories/slackMessages.js';
import type { AppDeps } from '../../deps.js';
import { postMortemReminderText, updateReminder } from '../../slack/messages/reminders.js';
import { slackCall } from '../../slack/slackErrors.js';
import { defineTask } from '../defineTask.js';
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
    const posted = await slackCall('chat.postMessage', () =>
      deps.slack.chat.postMessage({
        channel: contact.channelId!,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks as never } : {}),
      }),
    );
    if (posted.ts) {
      await saveMessage(deps.prisma, {
        incidentId,
        channelId: contact.channelId,
        ts: posted.ts,
        type,
        ...(at ? { createdAt: new Date(at) } : {}),
      });
    }
  },
});
