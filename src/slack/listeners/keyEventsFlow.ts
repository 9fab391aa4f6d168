import type { SlackRouter } from './router.js';
import { changeContextOf, changeIncident } from '../../commands/changeIncident.js';
import { visibleIncidentForRecap } from '../../db/repositories/incidents.js';
import { loadIncidentForChange } from '../../db/repositories/incidentState.js';
import type { AppDeps } from '../../deps.js';
import { keyEventTypes, type KeyEventType } from '../../domain/keyEvents.js';
import { asAppError } from '../../errors.js';
import { DATABASE_DOWN } from './runOrSay.js';
import { notVisible, parseIncidentId } from '../incidentRefs.js';
import { slackErrorCode } from '../slackErrors.js';
import { selectedDateTime, type StateValues } from '../viewState.js';
import {
  KEY_EVENTS_CALLBACK,
  OPEN_KEY_EVENTS_ACTION,
  keyEventBlock,
  keyEventsView,
} from '../views/keyEventsView.js';

/** The key-events form: opened by its button, saved through the change path (order checked there). */
export function registerKeyEventsFlow(router: SlackRouter, deps: AppDeps): void {
  router.action(OPEN_KEY_EVENTS_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    if (action.type !== 'button' || body.type !== 'block_actions') return;
    const tell = (text: string) => respond({ response_type: 'ephemeral', text }).catch(() => undefined);
    const incidentId = parseIncidentId(action.value);
    let incident: Awaited<ReturnType<typeof loadIncidentForChange>>;
    try {
      const visible =
        incidentId === undefined
          ? null
          : await visibleIncidentForRecap(deps.prisma, incidentId, body.user.id);
      incident = visible ? await loadIncidentForChange(deps.prisma, visible.id) : null;
    } catch (error) {
      // A failed look-up is the database, not "does not exist or is private".
      deps.logger.error({ err: error }, 'could not open the key events form');
      return void (await tell(DATABASE_DOWN));
    }
    if (!incident) return void (await tell(notVisible(action.value ?? '?')));
    const view = keyEventsView(incident.id, incident.updateCount, incident.keyEvents);
    try {
      // From inside the update form it stacks on top of it; from a message it opens on its own.
      if (body.view) await deps.slack.views.push({ trigger_id: body.trigger_id, view });
      else await deps.slack.views.open({ trigger_id: body.trigger_id, view });
    } catch (error) {
      await tell(
        `:x: Slack could not open the key events form (\`${slackErrorCode(error) ?? 'no answer'}\`). Please try again.`,
      );
    }
  });

  router.view(KEY_EVENTS_CALLBACK, async ({ ack, view, body }) => {
    const {
      incidentId,
      updateCount,
      shown = {},
    } = JSON.parse(view.private_metadata) as {
      incidentId: number;
      updateCount: number;
      shown?: Partial<Record<KeyEventType, number>>;
    };
    const values = view.state.values as StateValues;
    const keyEvents: Partial<Record<Exclude<KeyEventType, 'DECLARED'>, Date>> = {};
    for (const type of keyEventTypes) {
      if (type === 'DECLARED') continue;
      const at = selectedDateTime(values, keyEventBlock(type));
      // Only what this person changed: the rest may have been set by someone else meanwhile.
      if (at && Math.floor(at.getTime() / 1000) !== shown[type]) keyEvents[type] = at;
    }
    try {
      const result = await changeIncident({
        ...changeContextOf(deps),
        incidentId,
        author: body.user.id,
        origin: 'slack',
        seenUpdateCount: updateCount,
        change: { keyEvents },
      });
      if (!result.ok) {
        const errors: Record<string, string> = {};
        for (const problem of result.problems) errors[problem.field] ??= problem.message;
        return void (await ack({ response_action: 'errors', errors }));
      }
      await ack();
    } catch (thrown) {
      const error = asAppError(thrown);
      const text =
        error.code === 'INCIDENT_CHANGED'
          ? error.userMessage
          : 'Could not save (database unavailable). Nothing was changed: submit again.';
      await ack({ response_action: 'errors', errors: { [keyEventBlock('STARTED')]: text } });
    }
  });
}
