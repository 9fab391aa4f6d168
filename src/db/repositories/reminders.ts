import { isCritical } from '../../domain/priorities.js';
import type { Db } from '../prisma.js';
import { MessageTypes } from './slackMessages.js';

const critical = [1, 2, 3, 4, 5].filter(isCritical);
export const UPDATE_REMINDER = MessageTypes.updateReminder;
export const postMortemReminder = (window: number) => `postmortem_reminder:${window}`;

/**
 * P1–P3 incidents still being worked (below Post-mortem) that have a channel, with when a person
 * (or Jira) last changed them and how many reminders were sent since.
 */
export async function quietIncidentCandidates(db: Db) {
  const incidents = await db.incident.findMany({
    where: {
      priorityId: { in: critical },
      status: { in: ['OPEN', 'INVESTIGATING', 'MITIGATING', 'MITIGATED'] },
      slackChannel: { isNot: null },
    },
    select: {
      id: true,
      createdAt: true,
      priority: { select: { reminderMinutes: true } },
      updates: {
        where: { source: { not: 'SYSTEM' } },
        orderBy: { eventTs: 'desc' },
        take: 1,
        select: { eventTs: true },
      },
    },
  });
  return Promise.all(
    incidents.map(async (incident) => {
      const lastUpdateAt = incident.updates[0]?.eventTs ?? incident.createdAt;
      const sent = await db.slackMessage.findMany({
        where: { incidentId: incident.id, type: UPDATE_REMINDER, createdAt: { gt: lastUpdateAt } },
        orderBy: { createdAt: 'desc' },
        select: { createdAt: true },
      });
      return {
        id: incident.id,
        intervalMinutes: incident.priority.reminderMinutes,
        lastUpdateAt,
        lastReminderAt: sent[0]?.createdAt ?? null,
        remindersSinceUpdate: sent.length,
      };
    }),
  );
}

export async function remindersSince(db: Db, incidentId: number, since: Date): Promise<number> {
  return db.slackMessage.count({ where: { incidentId, type: UPDATE_REMINDER, createdAt: { gt: since } } });
}

/** Still being worked, and nobody updated it since `since`: a reminder queued then is still due. */
export async function stillQuietSince(db: Db, incidentId: number, since: Date): Promise<boolean> {
  const incident = await db.incident.findUnique({
    where: { id: incidentId },
    select: {
      status: true,
      createdAt: true,
      updates: {
        where: { source: { not: 'SYSTEM' } },
        orderBy: { eventTs: 'desc' },
        take: 1,
        select: { eventTs: true },
      },
    },
  });
  if (!incident || !['OPEN', 'INVESTIGATING', 'MITIGATING', 'MITIGATED'].includes(incident.status))
    return false;
  const lastUpdateAt = incident.updates[0]?.eventTs ?? incident.createdAt;
  return lastUpdateAt.getTime() === since.getTime();
}

/** Mitigated incidents that owe a post-mortem none is linked to yet. */
export async function postMortemCandidates(db: Db) {
  return db.incident.findMany({
    where: {
      status: { in: ['MITIGATED', 'POST_MORTEM'] },
      mitigatedAt: { not: null },
      postMortem: null,
      priority: { needsPostMortem: true },
      slackChannel: { isNot: null },
    },
    select: {
      id: true,
      priorityId: true,
      mitigatedAt: true,
      environments: { select: { environment: { select: { value: true } } } },
    },
  });
}
