import type { Db } from '../prisma.js';

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

export async function incidentForRecap(db: Db, incidentId: number) {
  return db.incident.findUnique({ where: { id: incidentId }, include: recapInclude });
}

/** Open P1–P3 incidents, for the picker shown outside incident channels. */
export async function openCriticalIncidents(db: Db) {
  return db.incident.findMany({
    where: { status: { not: 'CLOSED' }, priorityId: { lte: 3 } },
    orderBy: { createdAt: 'desc' },
    take: 100,
    include: { priority: true },
  });
}
