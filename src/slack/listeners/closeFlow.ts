import type { SlackRouter } from './router.js';
import { changeContextOf, changeIncident, withPostMortemStatus } from '../../commands/changeIncident.js';
import { loadIncidentForChange } from '../../db/repositories/incidentState.js';
import type { AppDeps } from '../../deps.js';
import { canBeClosed } from '../../domain/closure.js';
import { needsPostMortem } from '../../domain/priorities.js';
import { closureReasons, type ClosureReason } from '../../domain/statusMachine.js';
import { asAppError } from '../../errors.js';
import { closeRefusal, OPEN_UPDATE_ACTION } from '../messages/closeRefusal.js';
import { STATUS_CHANGE_REFUSED, mayChangeStatus } from '../permissions.js';
import { runOrSay } from './runOrSay.js';
import { slackErrorCode } from '../slackErrors.js';
import { selectedValue, textValue, type StateValues } from '../viewState.js';
import {
  CLOSURE_REASON_CALLBACK,
  CLOSURE_REFERENCE_MAX,
  closureBlocks,
  closureReasonView,
} from '../views/closureReasonView.js';
import { visibleIncidentForRecap } from '../../db/repositories/incidents.js';
import { notVisible, parseIncidentId } from '../incidentRefs.js';
import { openUpdateModal } from './updateFlow.js';

type Tell = (message: { text: string; blocks?: unknown[] }) => Promise<unknown>;

/**
 * `/incident close`: never mitigated → the closure-reason modal; otherwise every reason it
 * cannot close yet (with a button that fixes it where one can), or it closes now.
 */
export async function startClose(
  deps: AppDeps,
  triggerId: string,
  incidentId: number,
  userId: string,
  tell: Tell,
): Promise<void> {
  const incident = await loadIncidentForChange(deps.prisma, incidentId);
  if (!incident) return void (await tell({ text: `:x: Incident #${incidentId} no longer exists.` }));
  if (!(await mayChangeStatus(deps, incidentId, userId)))
    return void (await tell({ text: `:no_entry: ${STATUS_CHANGE_REFUSED}` }));
  if (incident.status === 'CLOSED')
    return void (await tell({ text: `Incident #${incidentId} is already closed.` }));
  if (incident.status === 'OPEN' || incident.status === 'INVESTIGATING') {
    try {
      await deps.slack.views.open({
        trigger_id: triggerId,
        view: closureReasonView(incidentId, incident.updateCount),
      });
    } catch (error) {
      await tell({
        text: `:x: Slack could not open the closing form (\`${slackErrorCode(error) ?? 'no answer'}\`). Please try again.`,
      });
    }
    return;
  }
  const { productionEnvironments } = deps.config.mapping.catalog;
  const check = canBeClosed({
    status: incident.status,
    priority: incident.priority,
    needsPostMortem: needsPostMortem(incident.priority, incident.environments, productionEnvironments),
    closureReason: incident.closureReason,
    keyEvents: incident.keyEvents,
    postMortem: await withPostMortemStatus(incident.postMortem, changeContextOf(deps).readPostMortemStatus),
    postMortemReadyStatus: deps.config.mapping.postMortem.readyStatus,
    jiraConfigured: Boolean(deps.jira),
  });
  if (!check.ok) return void (await tell(closeRefusal(incidentId, check)));
  const result = await changeIncident({
    ...changeContextOf(deps),
    incidentId,
    author: userId,
    origin: 'slack',
    change: { status: 'CLOSED' },
  });
  await tell({
    text: result.ok
      ? `:white_check_mark: Incident #${incidentId} is closed.`
      : `:x: ${result.problems.map((problem) => problem.message).join(' ')}`,
  });
}

export function registerCloseFlow(router: SlackRouter, deps: AppDeps): void {
  router.view(CLOSURE_REASON_CALLBACK, async ({ ack, view, body }) => {
    const { incidentId, updateCount } = JSON.parse(view.private_metadata) as {
      incidentId: number;
      updateCount: number;
    };
    const values = view.state.values as StateValues;
    const reason = selectedValue(values, closureBlocks.reason);
    const reference = textValue(values, closureBlocks.reference)?.trim() ?? '';
    const message = textValue(values, closureBlocks.message)?.trim() ?? '';
    const errors: Record<string, string> = {};
    if (!reason || reason === 'RESOLVED' || !(closureReasons as readonly string[]).includes(reason))
      errors[closureBlocks.reason] = 'Choose why the incident closes.';
    if (reference.length > CLOSURE_REFERENCE_MAX)
      errors[closureBlocks.reference] = `At most ${CLOSURE_REFERENCE_MAX} characters.`;
    if (!message) errors[closureBlocks.message] = 'Say why, for whoever reads this incident later.';
    if (Object.keys(errors).length > 0) return void (await ack({ response_action: 'errors', errors }));
    try {
      if (!(await mayChangeStatus(deps, incidentId, body.user.id))) {
        return void (await ack({
          response_action: 'errors',
          errors: { [closureBlocks.reason]: STATUS_CHANGE_REFUSED },
        }));
      }
      const result = await changeIncident({
        ...changeContextOf(deps),
        incidentId,
        author: body.user.id,
        origin: 'slack',
        seenUpdateCount: updateCount,
        change: {
          status: 'CLOSED',
          closureReason: reason as ClosureReason,
          ...(reference ? { closureReference: reference } : {}),
          message,
        },
      });
      if (!result.ok) {
        const text = result.problems.map((problem) => problem.message).join(' ');
        return void (await ack({ response_action: 'errors', errors: { [closureBlocks.reason]: text } }));
      }
      await ack({ response_action: 'clear' });
    } catch (thrown) {
      const error = asAppError(thrown);
      const text =
        error.code === 'INCIDENT_CHANGED'
          ? error.userMessage
          : 'Could not close the incident (database unavailable). Nothing was changed: submit again.';
      await ack({ response_action: 'errors', errors: { [closureBlocks.reason]: text } });
    }
  });

  // "Update the incident" on a close refusal opens the update modal.
  router.action(OPEN_UPDATE_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    if (action.type !== 'button' || body.type !== 'block_actions') return;
    const tell = (text: string) => respond({ response_type: 'ephemeral', text });
    const incidentId = parseIncidentId(action.value);
    await runOrSay(
      deps,
      async () => {
        const visible =
          incidentId === undefined
            ? null
            : await visibleIncidentForRecap(deps.prisma, incidentId, body.user.id);
        if (!visible) return tell(notVisible(action.value ?? '?'));
        return openUpdateModal(deps, body.trigger_id, visible.id, tell);
      },
      ({ text }) => tell(text),
    );
  });
}
