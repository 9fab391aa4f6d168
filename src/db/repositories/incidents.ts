import { isCritical } from '../../domain/priorities.js';
import type { Db } from '../prisma.js';
import { visibleTo } from './visibility.js';

/** Everything a recap shows. */
export const recapInclude = {
  priority: true,
  category: true,
  roles: { include: { roleType: true, user: true } },
  keyEvents: { orderBy: { occurredAt: 'asc' } },
  jiraTicket: true,
  slackChannel: true,
  environments: { include: { environment: true } },
} as const;

export async function incidentByChannel(db: Db, channelId: string) {
  const channel = await db.slackChannel.findUnique({ where: { channelId }, select: { incidentId: true } });
  return channel
    ? db.incident.findUnique({ where: { id: channel.incidentId }, include: recapInclude })
    : null;
}

/** The incident for a recap, if the viewer may see it (null for "missing" and "private" alike). */
export async function visibleIncidentForRecap(db: Db, incidentId: number, viewerSlackId: string) {
  return db.incident.findFirst({
    where: { AND: [{ id: incidentId }, visibleTo(viewerSlackId)] },
    include: recapInclude,
  });
}

/** P1–P3 priority ids, from the one rule that defines them. */
const criticalPriorities = [1, 2, 3, 4, 5].filter(isCritical);

/** P1–P3 incidents the viewer may see, declared since `since`, newest first (duplicate warning). */
export async function recentCriticalIncidents(db: Db, viewerSlackId: string, since: Date) {
  return db.incident.findMany({
    where: {
      AND: [{ createdAt: { gte: since }, priorityId: { in: criticalPriorities } }, visibleTo(viewerSlackId)],
    },
    orderBy: { createdAt: 'desc' },
    take: 3,
    include: { priority: true },
  });
}

/** Who and where to tell about an incident's side effects: its channel, else its reporter's DM. */
export async function incidentContact(db: Db, incidentId: number) {
  const incident = await db.incident.findUnique({
    where: { id: incidentId },
    select: {
      title: true,
      priorityId: true,
      createdById: true,
      slackChannel: { select: { channelId: true } },
      createdBy: { select: { slackUserId: true } },
      roles: {
        where: { roleType: { slug: 'commander' } },
        select: { user: { select: { slackUserId: true } } },
      },
    },
  });
  return incident
    ? {
        title: incident.title,
        priority: incident.priorityId,
        reporterId: incident.createdById,
        channelId: incident.slackChannel?.channelId ?? null,
        reporterSlackId: incident.createdBy.slackUserId,
        commanderSlackId: incident.roles[0]?.user.slackUserId ?? null,
      }
    : null;
}

/**
 * Incidents not closed that the viewer may see, most severe then newest first: the App Home,
 * and the picker shown outside incident channels (a P4–P5 has no channel to type in).
 */
export async function openIncidentsVisibleTo(db: Db, viewerSlackId: string) {
  return db.incident.findMany({
    where: { AND: [{ status: { not: 'CLOSED' } }, visibleTo(viewerSlackId)] },
    orderBy: [{ priorityId: 'asc' }, { createdAt: 'desc' }],
    take: 50,
    include: {
      priority: true,
      slackChannel: true,
      jiraTicket: true,
      roles: { where: { roleType: { slug: 'commander' } }, include: { user: true } },
    },
  });
}
