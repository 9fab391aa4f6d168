import type { Db, Prisma } from '../prisma.js';

/**
 * Rows that make an open form stale: changes to the incident's fields. Key events (saved from a
 * form stacked on the update form) and the bot's own notes do not.
 */
export const stalenessRows = {
  eventType: { notIn: ['KEY_EVENT', 'NOTE'] },
} as const satisfies Prisma.IncidentUpdateWhereInput;

/** An incident as the change path needs it: fields, roles by slug, and its update count. */
export async function loadIncidentForChange(db: Db, incidentId: number) {
  const incident = await db.incident.findUnique({
    where: { id: incidentId },
    include: {
      category: true,
      environments: { include: { environment: true } },
      roles: { include: { roleType: true, user: true } },
      slackChannel: true,
      keyEvents: true,
      postMortem: true,
      _count: { select: { updates: { where: stalenessRows } } },
    },
  });
  if (!incident) return null;
  const holder = (slug: string) =>
    incident.roles.find((role) => role.roleType.slug === slug)?.user.slackUserId ?? null;
  return {
    id: incident.id,
    status: incident.status,
    priority: incident.priorityId,
    title: incident.title,
    description: incident.description,
    category: incident.category.name,
    isPrivate: incident.isPrivate,
    environments: incident.environments.map((link) => link.environment.value).sort(),
    commander: holder('commander'),
    communicationLead: holder('communication_lead'),
    channelId: incident.slackChannel?.channelId ?? null,
    mitigatedAt: incident.mitigatedAt,
    closureReason: incident.closureReason,
    keyEvents: Object.fromEntries(incident.keyEvents.map((event) => [event.type, event.occurredAt])),
    /** Linked post-mortem; its Jira status is read when a close needs it (readPostMortemStatus). */
    postMortem: incident.postMortem ? { key: incident.postMortem.key } : null,
    /** Changes so far: a modal opened at N updates is stale once there are more. */
    updateCount: incident._count.updates,
  };
}
export type IncidentForChange = NonNullable<Awaited<ReturnType<typeof loadIncidentForChange>>>;
