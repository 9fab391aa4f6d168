import type { SlackRouter } from './router.js';
import { declareIncident } from '../../commands/declareIncident.js';
import { recentCriticalIncidents } from '../../db/repositories/incidents.js';
import { isImpactLevelValue, priorityFromImpacts, type ImpactLevelValue } from '../../domain/impacts.js';
import { NO_IMPACT, fieldErrors, openFormSchema } from '../../domain/openIncidentForm.js';
import { isCritical } from '../../domain/priorities.js';
import type { AppDeps } from '../../deps.js';
import { mrkdwn } from '../escape.js';
import { slackErrorCode } from '../slackErrors.js';
import { selectedValue, selectedValues, textValue, type StateValues } from '../viewState.js';
import {
  OPEN_DETAILS_CALLBACK,
  detailsBlocks,
  openDetailsView,
  type OpenFlowState,
} from '../views/openDetailsView.js';
import {
  IMPACT_ACTION,
  OPEN_IMPACTS_CALLBACK,
  impactBlockId,
  openImpactsView,
} from '../views/openImpactsView.js';

export const OPEN_SHORTCUT = 'open_incident';

/**
 * Open step 1. Called first thing after ack: the trigger id expires in 3 s. If Slack refuses
 * (expired trigger, Slack hiccup) the user is told how to retry instead of seeing nothing.
 */
export async function openIncidentModal(
  deps: AppDeps,
  triggerId: string,
  tellUser: (text: string) => Promise<unknown>,
  channelId?: string,
): Promise<void> {
  try {
    await deps.slack.views.open({
      trigger_id: triggerId,
      view: openImpactsView(deps.config.mapping.vocabulary, {}, JSON.stringify({ channelId })),
    });
  } catch (error) {
    const reason = slackErrorCode(error) ?? 'Slack did not answer';
    deps.logger.warn({ err: error, reason }, 'could not open the incident form');
    await tellUser(
      `:x: Slack could not open the incident form (\`${reason}\`). Nothing was created: please run \`${deps.config.mapping.slack.command} open\` again.`,
    ).catch((tellError: unknown) => deps.logger.warn({ err: tellError }, 'could not tell the user either'));
  }
}

function chosenImpacts(deps: AppDeps, values: StateValues): Record<string, ImpactLevelValue> {
  const chosen: Record<string, ImpactLevelValue> = {};
  for (const type of deps.config.mapping.vocabulary.impactTypes) {
    const value = selectedValue(values, impactBlockId(type.slug));
    if (value && isImpactLevelValue(value)) chosen[type.slug] = value;
  }
  return chosen;
}

/** How far back the "is this the same incident?" warning looks. */
const DUPLICATE_WINDOW_MS = 3600_000;

async function duplicateWarning(
  deps: AppDeps,
  priority: number,
  viewer: string,
): Promise<string | undefined> {
  if (!isCritical(priority)) return undefined;
  // A warning is a courtesy: if the lookup fails, open the form without it. It lists only what
  // the person opening the form may see: a private incident's title is not theirs to read.
  const since = new Date(Date.now() - DUPLICATE_WINDOW_MS);
  const recent = await recentCriticalIncidents(deps.prisma, viewer, since).catch((error: unknown) => {
    deps.logger.warn({ err: error }, 'could not check for recent incidents');
    return [];
  });
  if (recent.length === 0) return undefined;
  const list = recent
    .map(
      (incident) =>
        `• #${incident.id} ${incident.priority.emoji} ${incident.priority.name} — ${mrkdwn(incident.title)}`,
    )
    .join('\n');
  return `:warning: *A P1–P3 incident was opened in the past hour.* Make sure this is not the same one:\n${list}`;
}

export function registerOpenFlow(router: SlackRouter, deps: AppDeps): void {
  router.shortcut(OPEN_SHORTCUT, async ({ ack, shortcut }) => {
    await ack();
    await openIncidentModal(deps, shortcut.trigger_id, (text) =>
      deps.slack.chat.postMessage({ channel: shortcut.user.id, text }),
    );
  });

  // Live priority: every impact change re-renders step 1.
  router.action({ action_id: IMPACT_ACTION }, async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.view) return;
    const view = body.view;
    const selected = chosenImpacts(deps, view.state.values as StateValues);
    try {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: openImpactsView(deps.config.mapping.vocabulary, selected, view.private_metadata),
      });
    } catch (error) {
      // hash_conflict: a newer change already re-rendered the view; the next one will again.
      deps.logger.debug({ err: error }, 'live priority update skipped');
    }
  });

  router.view(OPEN_IMPACTS_CALLBACK, async ({ ack, view, body }) => {
    const impacts = chosenImpacts(deps, view.state.values as StateValues);
    const priority = priorityFromImpacts(Object.values(impacts));
    if (priority === undefined) {
      await ack({
        response_action: 'errors',
        errors: { [impactBlockId(deps.config.mapping.vocabulary.impactTypes[0]!.slug)]: NO_IMPACT },
      });
      return;
    }
    const origin = JSON.parse(view.private_metadata || '{}') as { channelId?: string };
    const state: OpenFlowState = { impacts, priority, channelId: origin.channelId };
    const warning = await duplicateWarning(deps, priority, body.user.id);
    // Pushed, not swapped: the details step's "Back" returns to the impacts as they were chosen.
    await ack({
      response_action: 'push',
      view: openDetailsView(state, deps.config.mapping, warning),
    });
  });

  router.view(OPEN_DETAILS_CALLBACK, async ({ ack, view, body }) => {
    const state = JSON.parse(view.private_metadata) as OpenFlowState;
    const values = view.state.values as StateValues;
    const { catalog } = deps.config.mapping;
    const schema = openFormSchema({
      priority: state.priority,
      impacts: state.impacts,
      categories: catalog.groups.flatMap((group) => group.categories.map((category) => category.name)),
      environments: catalog.environments.map((environment) => environment.value),
      platforms: catalog.platforms.map((platform) => platform.value),
      featureTeams: catalog.featureTeams,
    });
    const parsed = schema.safeParse({
      title: textValue(values, detailsBlocks.title) ?? '',
      description: textValue(values, detailsBlocks.description) ?? '',
      category: selectedValue(values, detailsBlocks.category) ?? undefined,
      environments: selectedValues(values, detailsBlocks.environments),
      platforms: selectedValues(values, detailsBlocks.platforms),
      featureTeam: selectedValue(values, detailsBlocks.featureTeam),
      customerTicketId: textValue(values, detailsBlocks.customerTicketId),
      sellerContractId: textValue(values, detailsBlocks.sellerContractId),
      sellerTicketId: textValue(values, detailsBlocks.sellerTicketId),
    });
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: fieldErrors(parsed.error.issues) });
      return;
    }
    try {
      const declared = await declareIncident({
        prisma: deps.prisma,
        reference: deps.reference,
        // The view id is stable across Slack's retries and double clicks of the same modal.
        declareKey: `view:${view.id}`,
        reporter: { slackUserId: body.user.id, teamId: body.user.team_id, name: body.user.name },
        priority: state.priority,
        impacts: state.impacts,
        form: parsed.data,
      });
      deps.logger.info(
        { incidentId: declared.id, priority: declared.priority, created: declared.created },
        'incident declared',
      );
      await ack({ response_action: 'clear' });
    } catch (error) {
      deps.logger.error({ err: error }, 'declaring the incident failed');
      await ack({
        response_action: 'errors',
        errors: {
          [detailsBlocks.title]:
            'Could not save the incident (database unavailable). Nothing was lost: submit again.',
        },
      });
    }
  });
}
