import type { Db } from '../prisma.js';

/** The incident's Slack channel as stored, if it has one. */
export async function storedChannel(db: Db, incidentId: number) {
  return db.slackChannel.findUnique({ where: { incidentId } });
}

export async function storeChannel(
  db: Db,
  channel: { incidentId: number; channelId: string; name: string; isPrivate: boolean },
) {
  return db.slackChannel.create({ data: channel });
}

export async function markChannelArchived(db: Db, incidentId: number): Promise<void> {
  await db.slackChannel.updateMany({
    where: { incidentId, archivedAt: null },
    data: { archivedAt: new Date() },
  });
}
