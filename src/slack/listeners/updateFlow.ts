import type { SlackRouter } from './router.js';
import { changeContextOf, changeIncident } from '../../commands/changeIncident.js';
import { replaceDeletedTicket } from '../../commands/replaceDeletedTicket.js';
import { loadIncidentForChange } from '../../db/repositories/incidentState.js';
import type { AppDeps } from '../../deps.js';
import type { RequestedChange } from '../../domain/incidentChange.js';
import { needsPostMortem } from '../../domain/priorities.js';
import { statuses, type IncidentStatus } from '../../domain/statusMachine.js';
import { asAppError } from '../../errors.js';
import { STATUS_CHANGE_REFUSED, mayChangeStatus } from '../permissions.js';
import { slackErrorCode } from '../slackErrors.js';
import { selectedUser, selectedValue, selectedValues, textValue, type StateValues } from '../viewState.js';
import {
  UPDATE_INCIDENT_CALLBACK,
  updateBlocks,
  updateIncidentView,
  type UpdateViewState,
} from '../views/updateIncidentView.js';

/**
 * Open the update modal for an incident (first thing after ack: the trigger id lasts 3 s).
 * A closed incident, or Slack refusing the modal, is told to the person instead.
 */
export async function openUpdateModal(
  deps: AppDeps,
  triggerId: string,
  incidentId: number,
  tellUser: (text: string) => Promise<unknown>,
): Promise<void> {
  const incident = await loadIncidentForChange(deps.prisma, incidentId);
  if (!incident) return void (await tellUser(`:x: Incident #${incidentId} no longer exists.`));
  if (incident.status === 'CLOSED') {
    return void (await tellUser(`:x: Incident #${incidentId} is closed; it cannot be updated.`));
  }
  const { productionEnvironments } = deps.config.mapping.catalog;
  const view = updateIncidentView(
    incident,
    deps.config.mapping,
    needsPostMortem(incident.priority, incident.environments, productionEnvironments),
  );
  try {
    await deps.slack.views.open({ trigger_id: triggerId, view });
  } catch (error) {
    const reason = slackErrorCode(error) ?? 'Slack did not answer';
    deps.logger.warn({ err: error, reason }, 'could not open the update form');
    await tellUser(
      `:x: Slack could not open the update form (\`${reason}\`). Nothing was changed: please run \`${deps.config.mapping.slack.command} update\` again.`,
    );
  }
}

/** The modal's values as a requested change (every field: unchanged ones are dropped by the plan). */
function requestedChange(values: StateValues): RequestedChange {
  const status = selectedValue(values, updateBlocks.status);
  const priority = Number(selectedValue(values, updateBlocks.priority));
  return {
    ...(status && (statuses as readonly string[]).includes(status)
      ? { status: status as IncidentStatus }
      : {}),
    ...(Number.isInteger(priority) && priority >= 1 && priority <= 5 ? { priority } : {}),
    title: textValue(values, updateBlocks.title) ?? '',
    description: textValue(values, updateBlocks.description) ?? '',
    ...(selectedValue(values, updateBlocks.category)
      ? { category: selectedValue(values, updateBlocks.category)! }
      : {}),
    environments: selectedValues(values, updateBlocks.environments),
    ...(selectedUser(values, updateBlocks.commander)
      ? { commander: selectedUser(values, updateBlocks.commander)! }
      : {}),
    communicationLead: selectedUser(values, updateBlocks.communicationLead),
    ...(textValue(values, updateBlocks.message) ? { message: textValue(values, updateBlocks.message)! } : {}),
  };
}

const ENVIRONMENTS_REFUSED =
  'Adding or removing production here decides whether this incident needs a post-mortem: only who may close it can do that (its commander, or the incident team configured for it).';

export function registerUpdateFlow(router: SlackRouter, deps: AppDeps): void {
  router.view(UPDATE_INCIDENT_CALLBACK, async ({ ack, view, body }) => {
    const state = JSON.parse(view.private_metadata) as UpdateViewState;
    const change = requestedChange(view.state.values as StateValues);
    try {
      const current = await loadIncidentForChange(deps.prisma, state.incidentId);
      // Status, priority and roles decide who runs the incident: the same right for all three
      // (else anyone could make themselves commander, then close it).
      const governing =
        current !== null &&
        ((change.status !== undefined && change.status !== current.status) ||
          (change.priority !== undefined && change.priority !== current.priority) ||
          (change.commander !== undefined && change.commander !== current.commander) ||
          (change.communicationLead !== undefined && change.communicationLead !== current.communicationLead));
      // Environments decide whether a post-mortem is owed (P1–P2 in production), which gates
      // the close: flipping that takes the same right as a priority change.
      const owes = (priority: number, environments: readonly string[]) =>
        needsPostMortem(priority, environments, deps.config.mapping.catalog.productionEnvironments);
      const decidesPostMortem =
        current !== null &&
        owes(current.priority, change.environments ?? current.environments) !==
          owes(current.priority, current.environments);
      if (
        (governing || decidesPostMortem) &&
        !(await mayChangeStatus(deps, state.incidentId, body.user.id))
      ) {
        return void (await ack({
          response_action: 'errors',
          errors: governing
            ? { [updateBlocks.status]: STATUS_CHANGE_REFUSED }
            : { [updateBlocks.environments]: ENVIRONMENTS_REFUSED },
        }));
      }
      const result = await changeIncident({
        ...changeContextOf(deps),
        incidentId: state.incidentId,
        author: body.user.id,
        origin: 'slack',
        change,
        seenUpdateCount: state.updateCount,
      });
      if (!result.ok) {
        const errors: Record<string, string> = {};
        for (const problem of result.problems) {
          // A refusal about the closure reason is shown on the status (the form has no reason field).
          if (problem.field === 'closureReason') {
            errors[updateBlocks.status] ??=
              `To close an incident that was never mitigated, use \`${deps.config.mapping.slack.command} close\`: it asks for the reason.`;
          } else {
            errors[problem.field] ??= problem.message;
          }
        }
        await ack({ response_action: 'errors', errors });
        return;
      }
      await ack({ response_action: 'clear' });
      // A ticket deleted in Jira is replaced when someone saves the update form.
      await replaceDeletedTicket(deps.prisma, state.incidentId).catch((error: unknown) =>
        deps.logger.error(
          { err: error, incidentId: state.incidentId },
          'could not queue a replacement ticket',
        ),
      );
    } catch (thrown) {
      const error = asAppError(thrown);
      deps.logger.warn({ err: error, code: error.code }, 'incident update refused or failed');
      const message =
        error.code === 'INCIDENT_CHANGED' || error.code === 'INCIDENT_NOT_FOUND'
          ? error.userMessage
          : 'Could not save the update (database unavailable). Nothing was changed: submit again.';
      await ack({ response_action: 'errors', errors: { [updateBlocks.status]: message } });
    }
  });
}
