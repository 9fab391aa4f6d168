import { loadIncidentForChange, stalenessRows } from '../db/repositories/incidentState.js';
import { canBeClosed, type PostMortemReading } from '../domain/closure.js';
import { addIncidentMembers } from '../db/repositories/members.js';
import type { PrismaClient } from '../db/prisma.js';
import type { AppDeps } from '../deps.js';
import type { ReferenceData } from '../db/repositories/referenceData.js';
import { upsertSlackUser } from '../db/repositories/users.js';
import {
  escalation,
  planChange,
  type ChangeField,
  type ChangeOrigin,
  type ChangeProblem,
  type FieldChange,
  type RequestedChange,
  type StateField,
} from '../domain/incidentChange.js';
import type { KeyEventType } from '../domain/keyEvents.js';
import { needsPostMortem } from '../domain/priorities.js';
import { AppError } from '../errors.js';
import { enqueueAppHomeRefresh } from '../jobs/appHomeRefresh.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { TaskIds, jiraQueue, jobKeys, slackQueue } from '../jobs/taskIds.js';
import { SYNCED_FIELDS } from '../domain/jiraSync.js';
import { readPostMortemStatus } from '../postmortem/status.js';
import { enqueuePostMortem } from './requestPostMortem.js';

export interface ChangeIncidentProps {
  prisma: PrismaClient;
  reference: ReferenceData;
  productionEnvironments: readonly string[];
  incidentId: number;
  /** Slack user id of who asked; null for the bot itself. */
  author: string | null;
  origin: ChangeOrigin;
  change: RequestedChange;
  /** The post-mortem Jira status that lets an incident close (mapping `postMortem.readyStatus`). */
  postMortemReadyStatus?: string;
  /** Wait before re-rendering the incident's messages (collapses a burst); 0 = at once. */
  messagesDelayMs?: number;
  /** The update count the person saw (modal private_metadata): a newer change wins, never overwritten. */
  seenUpdateCount?: number;
  /** Who made it on the other side when not a Slack user (a Jira user's name): "from Jira by Jane". */
  externalActor?: string;
  /** Reads what Jira says of the post-mortem when a close needs it. */
  readPostMortemStatus?: (key: string) => Promise<PostMortemReading>;
  /** False when the bot has no Jira: no post-mortem can be made, and the refusal says so. */
  jiraConfigured?: boolean;
}

/** The linked post-mortem with what Jira says of it now (see readPostMortemStatus). */
export async function withPostMortemStatus(
  postMortem: { key: string } | null,
  read: ((key: string) => Promise<PostMortemReading>) | undefined,
): Promise<{ key: string; reading: PostMortemReading } | null> {
  if (!postMortem) return null;
  const reading: PostMortemReading = read
    ? await read(postMortem.key)
    : { kind: 'unreadable', why: 'this bot has no Jira connection configured' };
  return { key: postMortem.key, reading };
}

/** What every Slack caller passes to changeIncident, from the app's dependencies. */
export const changeContextOf = (deps: AppDeps) => ({
  prisma: deps.prisma,
  reference: deps.reference,
  productionEnvironments: deps.config.mapping.catalog.productionEnvironments,
  messagesDelayMs: deps.config.env.EFFECTS_DEBOUNCE_MS,
  postMortemReadyStatus: deps.config.mapping.postMortem.readyStatus,
  readPostMortemStatus: (key: string) =>
    readPostMortemStatus(deps.jira, key, deps.config.env.JIRA_INTERACTIVE_TIMEOUT_MS),
  jiraConfigured: Boolean(deps.jira),
});

export type ChangeResult = { ok: true; changes: FieldChange[] } | { ok: false; problems: ChangeProblem[] };

const eventTypeOf = {
  status: 'STATUS_CHANGED',
  priority: 'PRIORITY_CHANGED',
  commander: 'ROLE_CHANGED',
  communicationLead: 'ROLE_CHANGED',
  title: 'EDITED',
  description: 'EDITED',
  category: 'EDITED',
  environments: 'EDITED',
} as const;
/** Fields the Jira ticket mirrors: a change to one of them is pushed. */
const syncedFields: readonly ChangeField[] = SYNCED_FIELDS;
const roleSlugOf = { commander: 'commander', communicationLead: 'communication_lead' } as const;

/**
 * THE way an incident changes, whoever asks (Slack, Jira sync, the bot): domain rules, then in
 * ONE transaction the incident, one IncidentUpdate per changed field (who, what, from → to,
 * origin) and the jobs for every effect, keyed so a burst collapses (announcement, topic,
 * notices), plus the status-update message, role holders' welcome and, on escalation, the channel.
 */
export async function changeIncident(props: ChangeIncidentProps): Promise<ChangeResult> {
  const { prisma, reference, incidentId, change } = props;
  const current = await loadIncidentForChange(prisma, incidentId);
  if (!current) throw new AppError('INCIDENT_NOT_FOUND', `incident #${incidentId} does not exist`);
  if (props.seenUpdateCount !== undefined && props.seenUpdateCount !== current.updateCount) {
    throw new AppError('INCIDENT_CHANGED', `incident #${incidentId} changed since the form was opened`, {
      userMessage:
        'Someone changed this incident since you opened this form. Close it and run the command again to see the current state.',
    });
  }
  const category = change.category === undefined ? undefined : reference.categoryByName.get(change.category);
  if (change.category !== undefined && (!category || category.isPrivate !== current.isPrivate)) {
    const message = !category
      ? 'Select a valid choice.'
      : 'An incident cannot move between a private and a public category: its channel and announcements would not match. Open a new incident instead.';
    return { ok: false, problems: [{ field: 'category', code: 'CATEGORY_NOT_ALLOWED', message }] };
  }
  if (current.status === 'CLOSED') {
    return {
      ok: false,
      problems: [{ field: 'status', code: 'INCIDENT_CLOSED', message: `Incident #${incidentId} is closed.` }],
    };
  }
  // Whether a post-mortem is owed depends on the priority and environments AFTER this change.
  const state = {
    ...current,
    needsPostMortem: needsPostMortem(
      change.priority ?? current.priority,
      change.environments ?? current.environments,
      props.productionEnvironments,
    ),
  };
  const { changes, problems } = planChange(
    state,
    { ...change, ...(change.environments ? { environments: [...change.environments].sort() } : {}) },
    new Date(),
    props.origin,
  );
  if (problems.length > 0) return { ok: false, problems };
  // Closing without a closure reason must meet every closing condition, whichever form asks.
  if (change.status === 'CLOSED' && !change.closureReason) {
    // Owed before this change counts too: lowering the priority in the same change that closes
    // is not a way around the post-mortem.
    const owedBefore = needsPostMortem(current.priority, current.environments, props.productionEnvironments);
    const check = canBeClosed({
      status: current.status,
      priority: change.priority ?? current.priority,
      needsPostMortem: state.needsPostMortem || owedBefore,
      closureReason: current.closureReason,
      keyEvents: { ...current.keyEvents, ...change.keyEvents },
      postMortem: await withPostMortemStatus(current.postMortem, props.readPostMortemStatus),
      postMortemReadyStatus: props.postMortemReadyStatus ?? 'Ready',
      jiraConfigured: props.jiraConfigured ?? true,
    });
    if (!check.ok) {
      return {
        ok: false,
        problems: check.reasons.map((reason) => ({
          field: 'status' as const,
          code: reason.code,
          message: reason.message,
        })),
      };
    }
  }
  if (changes.length === 0 && !change.message?.trim()) return { ok: true, changes };

  const author = props.author ? await upsertSlackUser(prisma, props.author) : null;
  const source = props.origin.toUpperCase() as 'SLACK' | 'JIRA' | 'SYSTEM';
  const changed = new Set(changes.map((item) => item.field));
  await prisma.$transaction(async (tx) => {
    // The plan was checked against what we read before: lock the incident and make sure no
    // other change landed since, or two concurrent changes could both pass the status machine.
    await tx.$queryRaw`select id from "Incident" where id = ${incidentId} for update`;
    if (
      (await tx.incidentUpdate.count({ where: { incidentId, ...stalenessRows } })) !== current.updateCount
    ) {
      throw new AppError(
        'INCIDENT_CHANGED',
        `incident #${incidentId} changed while this change was prepared`,
        {
          userMessage:
            'Someone changed this incident at the same moment. Run the command again to see the current state.',
        },
      );
    }
    const now = new Date();
    const reachesMitigated = change.status === 'MITIGATED' && changed.has('status');
    await tx.incident.update({
      where: { id: incidentId },
      data: {
        ...(changed.has('status') ? { status: change.status } : {}),
        ...(changed.has('priority') ? { priorityId: change.priority } : {}),
        ...(changed.has('title') ? { title: change.title!.trim() } : {}),
        ...(changed.has('description') ? { description: change.description!.trim() } : {}),
        ...(changed.has('category') ? { categoryId: category!.id } : {}),
        ...(reachesMitigated && !current.mitigatedAt ? { mitigatedAt: now } : {}),
        ...(change.status === 'CLOSED' && changed.has('status')
          ? {
              closedAt: now,
              closureReason: change.closureReason ?? null,
              closureReference: change.closureReference ?? null,
            }
          : {}),
      },
    });
    for (const [type, occurredAt] of Object.entries(change.keyEvents ?? {}) as [KeyEventType, Date][]) {
      if (!changed.has(`keyEvent:${type}`)) continue;
      await tx.keyEvent.upsert({
        where: { incidentId_type: { incidentId, type } },
        create: { incidentId, type, occurredAt, authorId: author?.id ?? null },
        update: { occurredAt, authorId: author?.id ?? null },
      });
    }
    if (reachesMitigated) {
      // Recovered is recorded once, the first time the incident is mitigated.
      await tx.keyEvent.upsert({
        where: { incidentId_type: { incidentId, type: 'RECOVERED' } },
        create: { incidentId, type: 'RECOVERED', occurredAt: now, authorId: author?.id ?? null },
        update: {},
      });
    }
    if (changed.has('environments')) {
      await tx.incidentEnvironment.deleteMany({ where: { incidentId } });
      await tx.incidentEnvironment.createMany({
        data: change.environments!.flatMap((value) => {
          const environmentId = reference.environmentIdByValue.get(value);
          return environmentId === undefined ? [] : [{ incidentId, environmentId }];
        }),
      });
    }
    for (const field of ['commander', 'communicationLead'] as const) {
      if (!changed.has(field)) continue;
      const roleTypeId = reference.roleTypeIdBySlug.get(roleSlugOf[field])!;
      const holder = change[field];
      if (!holder) {
        await tx.role.deleteMany({ where: { incidentId, roleTypeId } });
        continue;
      }
      const user = await upsertSlackUser(tx, holder);
      await tx.role.upsert({
        where: { incidentId_roleTypeId: { incidentId, roleTypeId } },
        create: { incidentId, roleTypeId, userId: user.id },
        update: { userId: user.id, assignedAt: now },
      });
      await addIncidentMembers(tx, incidentId, [holder]);
      await enqueueJob(
        tx,
        TaskIds.welcomeRoleHolder,
        { incidentId, role: roleSlugOf[field], slackUserId: holder },
        { jobKey: jobKeys.role(incidentId, roleSlugOf[field]), queueName: slackQueue(incidentId) },
      );
    }
    const rows = changes.length > 0 ? changes : [undefined];
    let firstUpdateId: number | undefined;
    for (const item of rows) {
      const row = await tx.incidentUpdate.create({
        data: {
          incidentId,
          eventType: !item
            ? 'NOTE'
            : item.field.startsWith('keyEvent:')
              ? 'KEY_EVENT'
              : eventTypeOf[item.field as StateField],
          source,
          message: change.message?.trim() || null,
          authorId: author?.id ?? null,
          externalActor: props.externalActor ?? null,
          eventTs: now,
          ...(item ? { field: item.field, fromValue: item.from, toValue: item.to } : {}),
          ...(item?.field === 'status' ? { status: change.status } : {}),
          ...(item?.field === 'priority' ? { priorityId: change.priority } : {}),
        },
      });
      firstUpdateId ??= row.id;
    }
    const queueName = slackQueue(incidentId);
    const payload = { incidentId };
    await enqueueAppHomeRefresh(tx);
    // Last state wins: the first change of a burst sets when; later ones keep that time.
    await enqueueJob(tx, TaskIds.refreshIncidentMessages, payload, {
      jobKey: jobKeys.messages(incidentId),
      jobKeyMode: 'preserve_run_at',
      queueName,
      runAt: new Date(Date.now() + (props.messagesDelayMs ?? 0)),
    });
    const escalated = changed.has('priority') ? escalation(current.priority, change.priority!) : undefined;
    await enqueueJob(
      tx,
      TaskIds.postIncidentUpdate,
      { incidentId, updateId: firstUpdateId!, ...(escalated ? { escalation: escalated } : {}) },
      { jobKey: jobKeys.update(incidentId, firstUpdateId!), queueName },
    );
    if (props.origin !== 'jira' && syncedFields.some((field) => changed.has(field))) {
      // The ticket follows: one job per incident, keyed, reading the latest state when it runs.
      await enqueueJob(
        tx,
        TaskIds.syncJiraTicket,
        { incidentId, reason: 'change' },
        {
          jobKey: jobKeys.jiraSync(incidentId),
          jobKeyMode: 'preserve_run_at',
          queueName: jiraQueue(incidentId),
          runAt: new Date(Date.now() + (props.messagesDelayMs ?? 0)),
        },
      );
    }
    const reachesPostMortemStage =
      changed.has('status') && (change.status === 'MITIGATED' || change.status === 'POST_MORTEM');
    if (reachesPostMortemStage && state.needsPostMortem) {
      // Created once (the job finds an existing one): reaching the stage again adds nothing.
      await enqueuePostMortem(tx, incidentId);
    }
    const timelineMoves = changes.some(
      (item) => item.field === 'status' || item.field === 'priority' || item.field.startsWith('keyEvent:'),
    );
    if (timelineMoves && current.postMortem) {
      // Last state wins: a burst of edits re-renders the post-mortem's timeline once.
      await enqueueJob(tx, TaskIds.refreshPostMortemTimeline, payload, {
        jobKey: jobKeys.postMortemTimeline(incidentId),
        jobKeyMode: 'preserve_run_at',
        runAt: new Date(Date.now() + (props.messagesDelayMs ?? 0)),
      });
    }
    if (changed.has('status') && change.status === 'CLOSED') {
      // After the update message (same queue, enqueued first): confirm to the closer, archive.
      await enqueueJob(
        tx,
        TaskIds.archiveIncidentChannel,
        { incidentId, closedBy: props.author },
        { jobKey: jobKeys.archive(incidentId), queueName },
      );
    }
    if (escalated === 'escalated') {
      // The same job (and key) that opens P1–P3 channels: it reuses a channel that exists.
      await enqueueJob(tx, TaskIds.createIncidentChannel, payload, {
        jobKey: jobKeys.channel(incidentId),
        queueName,
      });
    }
  });
  return { ok: true, changes };
}
