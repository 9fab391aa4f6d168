import type { Db } from '../prisma.js';

/** The incident's Jira ticket row, if stored. */
export async function ticketOf(db: Db, incidentId: number) {
  return db.jiraTicket.findUnique({ where: { incidentId } });
}

/** Store the incident's ticket; a ticket that was deleted in Jira is replaced by the new one. */
export async function storeTicket(
  db: Db,
  ticket: { incidentId: number; jiraId: string; key: string; projectKey: string; url: string },
) {
  return db.jiraTicket.upsert({
    where: { incidentId: ticket.incidentId },
    create: ticket,
    update: { ...ticket, deletedAt: null, lastJiraUpdateAt: null },
  });
}

/** Ids of incidents that still have no ticket (self-healing at start). */
export async function incidentIdsWithoutTicket(db: Db): Promise<number[]> {
  const rows = await db.incident.findMany({ where: { jiraTicket: null }, select: { id: true } });
  return rows.map((row) => row.id);
}
