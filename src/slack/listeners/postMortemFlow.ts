import type { App } from '@slack/bolt';
import { requestPostMortem } from '../../commands/requestPostMortem.js';
import { loadIncidentForChange } from '../../db/repositories/incidentState.js';
import { visibleIncidentForRecap } from '../../db/repositories/incidents.js';
import type { AppDeps } from '../../deps.js';
import { needsPostMortem } from '../../domain/priorities.js';
import { label, statusRank } from '../../domain/statusMachine.js';
import { notVisible, parseIncidentId } from '../incidentRefs.js';
import { mrkdwn } from '../escape.js';

export const CREATE_ANYWAY_ACTION = 'postmortem_create_anyway';

/**
 * `/incident postmortem`: the post-mortem if there is one; before Mitigated, when it can be made;
 * for an incident that does not need one, a "create anyway?" button; otherwise it is created now.
 */
export async function postMortemAnswer(
  deps: AppDeps,
  incidentId: number,
): Promise<{ text: string; blocks?: unknown[] }> {
  const [incident, existing] = await Promise.all([
    loadIncidentForChange(deps.prisma, incidentId),
    deps.prisma.postMortem.findUnique({ where: { incidentId } }),
  ]);
  if (!incident) return { text: notVisible(incidentId) };
  if (existing)
    return {
      text: `:notebook_with_decorative_cover: Post-mortem of incident #${incidentId}: <${existing.url}|${mrkdwn(existing.key)}>`,
    };
  if (statusRank(incident.status) < statusRank('MITIGATED')) {
    return {
      text: `The post-mortem can be created once incident #${incidentId} is mitigated (it is ${label(incident.status)}).`,
    };
  }
  const owed = needsPostMortem(
    incident.priority,
    incident.environments,
    deps.config.mapping.catalog.productionEnvironments,
  );
  if (!owed) {
    const text = `Incident #${incidentId} does not need a post-mortem (only P1–P2 in production do). Create one anyway?`;
    return {
      text,
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text },
          accessory: {
            type: 'button',
            action_id: CREATE_ANYWAY_ACTION,
            text: { type: 'plain_text', text: 'Create anyway' },
            value: String(incidentId),
          },
        },
      ],
    };
  }
  await requestPostMortem(deps.prisma, incidentId);
  return {
    text: `:hourglass_flowing_sand: Creating the post-mortem of incident #${incidentId}; it will be pinned in the channel.`,
  };
}

export function registerPostMortemFlow(app: App, deps: AppDeps): void {
  app.action(CREATE_ANYWAY_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    if (action.type !== 'button') return;
    const incidentId = parseIncidentId(action.value);
    const visible =
      incidentId && (await visibleIncidentForRecap(deps.prisma, incidentId, body.user.id).catch(() => null));
    if (!incidentId || !visible) {
      await respond({
        replace_original: true,
        response_type: 'ephemeral',
        text: notVisible(incidentId ?? 0),
      });
      return;
    }
    if (statusRank(visible.status as never) < statusRank('MITIGATED')) {
      await respond({
        replace_original: true,
        response_type: 'ephemeral',
        text: `Incident #${incidentId} is not mitigated yet.`,
      });
      return;
    }
    await requestPostMortem(deps.prisma, incidentId);
    await respond({
      replace_original: true,
      response_type: 'ephemeral',
      text: `:hourglass_flowing_sand: Creating the post-mortem of incident #${incidentId}; it will be pinned in the channel.`,
    });
  });
}
