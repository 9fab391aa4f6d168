import type { Db } from '../prisma.js';

/** A line in the incident's history written by the bot itself (ticket created, a failure…). */
export async function addSystemNote(db: Db, incidentId: number, message: string): Promise<void> {
  await db.incidentUpdate.create({ data: { incidentId, eventType: 'NOTE', source: 'SYSTEM', message } });
}
