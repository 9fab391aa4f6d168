import type { Db } from '../prisma.js';

/** The rows written by one change (same incident, same time, same author), from its first row. */
export async function updateBatch(db: Db, incidentId: number, firstUpdateId: number) {
  const first = await db.incidentUpdate.findUnique({
    where: { id: firstUpdateId },
    include: { author: { select: { slackUserId: true } } },
  });
  if (!first || first.incidentId !== incidentId) return null;
  const rows = await db.incidentUpdate.findMany({
    where: { incidentId, eventTs: first.eventTs, authorId: first.authorId, id: { gte: first.id } },
    orderBy: { id: 'asc' },
  });
  return { first, rows };
}
