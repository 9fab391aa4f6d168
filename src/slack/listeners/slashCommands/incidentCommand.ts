import type { SlackRouter } from '../router.js';
import {
  incidentByChannel,
  openIncidentsVisibleTo,
  visibleIncidentForRecap,
} from '../../../db/repositories/incidents.js';
import type { AppDeps } from '../../../deps.js';
import { formatDoctorReport, runDoctor } from '../../../doctor/checks.js';
import { prismaDatabase } from '../../../doctor/databaseTargets.js';
import { truncateText } from '../../../domain/userText.js';
import { mrkdwn, plainText } from '../../escape.js';
import { isBotAdmin } from '../../permissions.js';
import { notVisible, parseIncidentId } from '../../incidentRefs.js';
import { startClose } from '../closeFlow.js';
import { openUpdateModal } from '../updateFlow.js';
import { helpText } from '../../messages/help.js';
import { statusRecap } from '../../messages/statusRecap.js';
import { syncJournalMessage } from '../../messages/syncJournal.js';
import { postMortemAnswer } from '../postMortemFlow.js';
import { latestJournal } from '../../../db/repositories/syncState.js';
import { ticketOf } from '../../../db/repositories/tickets.js';
import { openIncidentModal } from '../openFlow.js';
import { DATABASE_DOWN, runOrSay } from '../runOrSay.js';

/** Sub-commands, with their aliases, as typed after the command name. */
export const subcommands = {
  open: ['open'],
  update: ['update'],
  close: ['close'],
  status: ['status'],
  postmortem: ['postmortem', 'pm', 'post-mortem'],
  sync: ['sync'],
  doctor: ['doctor'],
  help: ['help', ''],
} as const;

export type Subcommand = keyof typeof subcommands;
/** Sub-commands that act on one incident: outside its channel, the user picks it first. */
const needsIncident: readonly Subcommand[] = ['update', 'close', 'status', 'postmortem', 'sync'];
export const PICK_INCIDENT_ACTION = /^pick_incident:(\w+)$/;
export const NO_ACTIVE_INCIDENT = ':x: This command requires an active incident. Please create one first.';

export function parseSubcommand(text: string): { subcommand: Subcommand | undefined; word: string } {
  const word = text.trim().toLowerCase().split(/\s+/)[0] ?? '';
  const found = (Object.keys(subcommands) as Subcommand[]).find((name) =>
    (subcommands[name] as readonly string[]).includes(word),
  );
  return { subcommand: found, word };
}

/** What a read-only sub-command answers about an incident the viewer may see (ephemeral). */
async function answerFor(
  deps: AppDeps,
  subcommand: Subcommand,
  incident: NonNullable<Awaited<ReturnType<typeof visibleIncidentForRecap>>>,
  viewer: string,
) {
  if (subcommand === 'status') return statusRecap(incident);
  if (subcommand === 'sync') {
    const [ticket, entries] = await Promise.all([
      ticketOf(deps.prisma, incident.id),
      latestJournal(deps.prisma, incident.id),
    ]);
    return syncJournalMessage({ incidentId: incident.id, ticket, entries });
  }
  if (subcommand === 'postmortem') return postMortemAnswer(deps, incident.id, viewer);
  return { text: `\`${deps.config.mapping.slack.command} ${subcommand}\` is coming soon.` };
}

/** What a sub-command answers for an incident the viewer picked (ephemeral). */
async function runForIncident(deps: AppDeps, subcommand: Subcommand, incidentId: number, viewer: string) {
  const incident = await visibleIncidentForRecap(deps.prisma, incidentId, viewer);
  if (!incident) return { text: notVisible(incidentId) };
  return answerFor(deps, subcommand, incident, viewer);
}

/** In an incident channel: the answer for that incident. Elsewhere: a picker of open incidents. */
async function answerAboutIncident(
  deps: AppDeps,
  subcommand: Subcommand,
  word: string,
  channelId: string,
  viewer: string,
) {
  // Typed in the incident's own channel: whoever can type there is a member of it.
  const here = await incidentByChannel(deps.prisma, channelId);
  if (here) return answerFor(deps, subcommand, here, viewer);
  const open = await openIncidentsVisibleTo(deps.prisma, viewer);
  if (open.length === 0) return { text: NO_ACTIVE_INCIDENT };
  return {
    text: 'Which incident?',
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Which incident is \`${deps.config.mapping.slack.command} ${word}\` about?`,
        },
        accessory: {
          type: 'static_select',
          action_id: `pick_incident:${subcommand}`,
          placeholder: { type: 'plain_text', text: 'Pick an open incident' },
          options: open.map((incident) => ({
            text: {
              type: 'plain_text',
              text: plainText(`#${incident.id} ${incident.priority.name} ${incident.title}`, 75),
            },
            value: String(incident.id),
          })),
        },
      },
    ],
  };
}

/** `/incident <sub>` and its aliases: ack at once, then route. */
export function registerIncidentCommand(router: SlackRouter, deps: AppDeps): void {
  const { command, aliases } = deps.config.mapping.slack;
  for (const name of new Set([command, ...aliases])) {
    router.command(name, async ({ command: payload, ack, respond }) => {
      const { subcommand, word } = parseSubcommand(payload.text ?? '');
      if (subcommand === 'help') return ack({ response_type: 'ephemeral', text: helpText(command) });
      if (!subcommand) {
        return ack({
          response_type: 'ephemeral',
          text: `:x: Unknown command \`${mrkdwn(truncateText(word, 40))}\`!\n\n${helpText(command)}`,
        });
      }
      if (subcommand === 'doctor') {
        const allowed = await isBotAdmin(deps, payload.user_id).catch((error: unknown) => {
          deps.logger.warn({ err: error }, 'could not check whether the user is an admin');
          return false;
        });
        if (!allowed) {
          return ack({
            response_type: 'ephemeral',
            text: ':x: Only the bot admins (slack.admins in the mapping file) can run `doctor`; with none configured, the workspace admins and owners.',
          });
        }
        await ack({
          response_type: 'ephemeral',
          text: ':stethoscope: Checking Slack, the database and Jira…',
        });
        const results = await runDoctor({
          config: deps.config,
          slack: deps.slack,
          jira: deps.jira,
          database: prismaDatabase(deps.prisma, deps.config),
        });
        await respond({
          response_type: 'ephemeral',
          replace_original: true,
          text: `\`\`\`\n${formatDoctorReport(results)}\n\`\`\``,
        });
        return;
      }
      if (subcommand === 'open') {
        await ack();
        return openIncidentModal(
          deps,
          payload.trigger_id,
          (text) => respond({ response_type: 'ephemeral', text }),
          payload.channel_id,
        );
      }
      if (!needsIncident.includes(subcommand)) return ack();
      if (subcommand === 'update' || subcommand === 'close') {
        // In the incident's channel the form opens at once (the trigger id lasts 3 s).
        const here = await incidentByChannel(deps.prisma, payload.channel_id).catch(() => null);
        if (here) {
          await ack();
          const tell = (message: { text: string; blocks?: unknown[] }) =>
            respond({ response_type: 'ephemeral', ...message } as never);
          return runOrSay(
            deps,
            () =>
              subcommand === 'update'
                ? openUpdateModal(deps, payload.trigger_id, here.id, (text) => tell({ text }))
                : startClose(deps, payload.trigger_id, here.id, payload.user_id, tell),
            tell,
          );
        }
      }
      try {
        await ack({
          response_type: 'ephemeral',
          ...(await answerAboutIncident(deps, subcommand, word, payload.channel_id, payload.user_id)),
        });
      } catch (error) {
        deps.logger.error({ err: error }, 'could not answer an incident command');
        await ack({ response_type: 'ephemeral', text: DATABASE_DOWN });
      }
    });
  }

  router.action(PICK_INCIDENT_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    if (action.type !== 'static_select') return;
    const subcommand = PICK_INCIDENT_ACTION.exec(action.action_id)?.[1] as Subcommand | undefined;
    if (!subcommand || !needsIncident.includes(subcommand)) return;
    const incidentId = parseIncidentId(action.selected_option?.value);
    if (
      (subcommand === 'update' || subcommand === 'close') &&
      incidentId !== undefined &&
      body.type === 'block_actions'
    ) {
      const tell = (message: { text: string; blocks?: unknown[] }) =>
        respond({ replace_original: true, response_type: 'ephemeral', ...message } as never);
      return runOrSay(
        deps,
        async () => {
          const visible = await visibleIncidentForRecap(deps.prisma, incidentId, body.user.id);
          if (!visible) return tell({ text: notVisible(incidentId) });
          return subcommand === 'update'
            ? openUpdateModal(deps, body.trigger_id, incidentId, (text) => tell({ text }))
            : startClose(deps, body.trigger_id, incidentId, body.user.id, tell);
        },
        tell,
      );
    }
    const answer =
      incidentId === undefined
        ? { text: notVisible(mrkdwn(truncateText(String(action.selected_option?.value ?? ''), 20))) }
        : await runForIncident(deps, subcommand, incidentId, body.user.id).catch((error: unknown) => {
            deps.logger.error({ err: error }, 'could not answer a picked incident');
            return { text: DATABASE_DOWN };
          });
    await respond({ replace_original: true, response_type: 'ephemeral', ...answer });
  });
}
