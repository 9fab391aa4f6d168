import { incidentContact } from '../../db/repositories/incidents.js';
import { updateBatch } from '../../db/repositories/updates.js';
import type { AppDeps } from '../../deps.js';
import { loadIncidentForChange } from '../../db/repositories/incidentState.js';
import { missingKeyEvents } from '../../domain/keyEvents.js';
import { isCritical, priorityByValue } from '../../domain/priorities.js';
import { keyEventsButton } from '../../slack/views/keyEventsView.js';
import { deescalationNotice, incidentUpdateMessage } from '../../slack/messages/incidentUpdate.js';
import { postOnce } from '../effects/postOnce.js';
import { defineTask } from '../defineTask.js';
import { incidentUpdatePayload } from '../payloads.js';
import { TaskIds } from '../taskIds.js';

/**
 * One change, said in the incident's channel ("Status: Investigating → Mitigating — message —
 * by @who"); on de-escalation the commander hears that the channel stays. Keyed by the change,
 * so a retry never posts it twice.
 */
export default defineTask<AppDeps, typeof incidentUpdatePayload>({
  id: TaskIds.postIncidentUpdate,
  payload: incidentUpdatePayload,
  async run({ incidentId, updateId, escalation }, { deps }) {
    const [batch, contact] = await Promise.all([
      updateBatch(deps.prisma, incidentId, updateId),
      incidentContact(deps.prisma, incidentId),
    ]);
    if (!batch || !contact) return;
    if (contact.channelId) {
      const message = incidentUpdateMessage({
        lines: batch.rows,
        message: batch.first.message,
        authorSlackId: batch.first.author?.slackUserId ?? null,
        origin: batch.first.source,
        externalActor: batch.first.externalActor,
      });
      // Reaching Mitigated with key events still missing: offer the form right there.
      const mitigatedNow = batch.rows.some((row) => row.field === 'status' && row.status === 'MITIGATED');
      if (mitigatedNow && isCritical(contact.priority)) {
        const incident = await loadIncidentForChange(deps.prisma, incidentId);
        const missing = incident ? missingKeyEvents(incident.keyEvents) : [];
        if (missing.length > 0) {
          message.blocks.push({
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `:stopwatch: Still missing: ${missing.map((type) => type.toLowerCase()).join(', ')}.`,
            },
            accessory: keyEventsButton(incidentId),
          });
        }
      }
      await postOnce(deps, incidentId, `update:${updateId}`, contact.channelId, message);
    }
    if (escalation === 'deescalated' && contact.commanderSlackId) {
      await postOnce(deps, incidentId, `deescalation:${updateId}`, contact.commanderSlackId, {
        text: deescalationNotice(incidentId, priorityByValue(contact.priority).name),
      });
    }
  },
});
