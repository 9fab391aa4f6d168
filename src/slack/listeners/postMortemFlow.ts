import type { SlackRouter } from './router.js';
import { replaceGonePostMortem } from '../../commands/replaceGonePostMortem.js';
import { requestPostMortem, type EarlierRequest } from '../../commands/requestPostMortem.js';
import { loadIncidentForChange } from '../../db/repositories/incidentState.js';
import { visibleIncidentForRecap } from '../../db/repositories/incidents.js';
import type { AppDeps } from '../../deps.js';
import type { PostMortemReading } from '../../domain/closure.js';
import { needsPostMortem } from '../../domain/priorities.js';
import { readPostMortemStatus } from '../../postmortem/status.js';
import { label, statusRank } from '../../domain/statusMachine.js';
import { notVisible, parseIncidentId } from '../incidentRefs.js';
import { mrkdwn } from '../escape.js';
import { STATUS_CHANGE_REFUSED, mayChangeStatus } from '../permissions.js';
import { runOrSay } from './runOrSay.js';

export const CREATE_ANYWAY_ACTION = 'postmortem_create_anyway';

/**
 * Making a post-mortem by hand where none is owed, or replacing one, decides whether the incident
 * can close (a linked post-mortem must be ready first): it takes the right to close it, and an
 * incident already closed gets none. Undefined when allowed, else why not.
 */
async function refusedToMakePostMortem(
  deps: AppDeps,
  incident: { id: number; status: string },
  viewer: string,
): Promise<string | undefined> {
  if (incident.status === 'CLOSED')
    return `Incident #${incident.id} is closed: no post-mortem can be made for it from Slack.`;
  if (!(await mayChangeStatus(deps, incident.id, viewer))) return STATUS_CHANGE_REFUSED;
  return undefined;
}

/**
 * `/incident postmortem`: the post-mortem if there is one; before Mitigated, when it can be made;
 * for an incident that does not need one, a "create anyway?" button; otherwise it is created now.
 */
export async function postMortemAnswer(
  deps: AppDeps,
  incidentId: number,
  viewer: string,
): Promise<{ text: string; blocks?: unknown[] }> {
  const [incident, existing] = await Promise.all([
    loadIncidentForChange(deps.prisma, incidentId),
    deps.prisma.postMortem.findUnique({ where: { incidentId } }),
  ]);
  if (!incident) return { text: notVisible(incidentId) };
  if (!deps.jira) {
    return { text: noJira(incidentId) };
  }
  if (existing) {
    const reading = await readPostMortemStatus(
      deps.jira,
      existing.key,
      deps.config.env.JIRA_INTERACTIVE_TIMEOUT_MS,
    );
    if (reading.kind !== 'gone') return { text: existingPostMortem(incidentId, existing, reading, deps) };
    const refused = await refusedToMakePostMortem(deps, incident, viewer);
    if (refused)
      return {
        text: `Post-mortem ${mrkdwn(existing.key)} of incident #${incidentId} can no longer be found in Jira. ${refused}`,
      };
    await replaceGonePostMortem(deps.prisma, incidentId, existing.key);
    return {
      text: `:hourglass_flowing_sand: Post-mortem ${mrkdwn(existing.key)} can no longer be found in Jira (deleted, or the bot lost access to it). Creating a new one for incident #${incidentId}; it will be pinned in the channel.`,
    };
  }
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
    const notOwed = `Incident #${incidentId} does not need a post-mortem (only P1–P2 in production do).`;
    const refused = await refusedToMakePostMortem(deps, incident, viewer);
    if (refused) return { text: `${notOwed} ${refused}` };
    const text = `${notOwed} Create one anyway?`;
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
  return { text: creating(incidentId, await requestPostMortem(deps.prisma, incidentId)) };
}

const noJira = (incidentId: number) =>
  `Post-mortems are Jira issues, and this bot has no Jira connection: an operator must configure Jira before incident #${incidentId} can have one.`;

/** The answer to a request, saying what became of an earlier one (see requestPostMortem). */
function creating(incidentId: number, earlier: EarlierRequest): string {
  const pinned = 'it will be pinned in the channel.';
  if (earlier === 'running')
    return `:hourglass_flowing_sand: The post-mortem of incident #${incidentId} is being created right now; ${pinned}`;
  if (earlier === 'waiting')
    return `:hourglass_flowing_sand: An earlier attempt to create the post-mortem of incident #${incidentId} was waiting to try again (see the channel for why); it is tried again now, and ${pinned}`;
  return `:hourglass_flowing_sand: Creating the post-mortem of incident #${incidentId}; ${pinned}`;
}

/** The linked post-mortem, with where it stands for closing. */
function existingPostMortem(
  incidentId: number,
  postMortem: { key: string; url: string },
  reading: Exclude<PostMortemReading, { kind: 'gone' }>,
  deps: AppDeps,
): string {
  const link = `<${postMortem.url}|${mrkdwn(postMortem.key)}>`;
  const ready = deps.config.mapping.postMortem.readyStatus;
  const where =
    reading.kind === 'unreadable'
      ? `its status could not be read from Jira (${mrkdwn(reading.why)})`
      : reading.name.toLowerCase() === ready.toLowerCase()
        ? `*${mrkdwn(reading.name)}*: ready, the incident can close`
        : `*${mrkdwn(reading.name)}*; the incident can close once it is *${mrkdwn(ready)}*`;
  return `:notebook_with_decorative_cover: Post-mortem of incident #${incidentId}: ${link} — ${where}.`;
}

export function registerPostMortemFlow(router: SlackRouter, deps: AppDeps): void {
  router.action(CREATE_ANYWAY_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    if (action.type !== 'button') return;
    const incidentId = parseIncidentId(action.value);
    const tell = ({ text }: { text: string }) =>
      respond({ replace_original: true, response_type: 'ephemeral', text });
    await runOrSay(
      deps,
      () => createAnyway(deps, incidentId, body.user.id).then((text) => tell({ text })),
      tell,
    );
  });
}

/** The answer to a click on "Create anyway", checked as the command was (the button may be old). */
async function createAnyway(deps: AppDeps, incidentId: number | undefined, viewer: string): Promise<string> {
  const visible = incidentId ? await visibleIncidentForRecap(deps.prisma, incidentId, viewer) : null;
  if (!incidentId || !visible) return notVisible(incidentId ?? 0);
  if (statusRank(visible.status as never) < statusRank('MITIGATED'))
    return `Incident #${incidentId} is not mitigated yet.`;
  const refused = await refusedToMakePostMortem(deps, { id: incidentId, status: visible.status }, viewer);
  if (refused) return refused;
  return deps.jira
    ? creating(incidentId, await requestPostMortem(deps.prisma, incidentId))
    : noJira(incidentId);
}
