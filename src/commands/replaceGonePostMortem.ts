import type { PrismaClient } from '../db/prisma.js';
import { addSystemNote } from '../db/repositories/history.js';
import { MessageTypes } from '../db/repositories/slackMessages.js';
import { enqueuePostMortem } from './requestPostMortem.js';

/**
 * The post-mortem issue can no longer be found in Jira (404: deleted, or hidden from the bot).
 * Forget it — its row and the records of its pinned message and bookmark, so the new one gets
 * its own — and queue a new one, in one transaction. Only when a person asks: a 404 can also be
 * a permission change, and only a person can judge whether a second issue is wanted.
 * Returns false when someone else replaced it first (nothing more to do).
 */
export async function replaceGonePostMortem(
  prisma: PrismaClient,
  incidentId: number,
  goneKey: string,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const forgotten = await tx.postMortem.deleteMany({ where: { incidentId, key: goneKey } });
    if (forgotten.count === 0) return false;
    await tx.slackMessage.deleteMany({
      where: { incidentId, type: { in: [MessageTypes.postMortemCreated, MessageTypes.postMortemBookmark] } },
    });
    await addSystemNote(
      tx,
      incidentId,
      `Post-mortem ${goneKey} could no longer be found in Jira; a new one was requested`,
    );
    await enqueuePostMortem(tx, incidentId);
    return true;
  });
}
