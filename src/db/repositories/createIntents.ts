import type { Db } from '../prisma.js';

/**
 * Intents of creates whose answer may be lost (see the CreateIntent model). Written and committed
 * before the create call, cleared once the outcome is known either way.
 */
export async function findCreateIntent(db: Db, key: string) {
  return db.createIntent.findUnique({ where: { key } });
}

/** "Creating now": first attempt, or one more. */
export async function recordCreateAttempt(db: Db, key: string, now = new Date()) {
  return db.createIntent.upsert({
    where: { key },
    create: { key, firstAttemptAt: now, lastAttemptAt: now },
    update: { lastAttemptAt: now, attempts: { increment: 1 } },
  });
}

/**
 * "Creating now", claimed atomically: the first attempt, or one more once no attempt has been
 * made for `quietMs` (an earlier one's outcome is unknown and Jira's search had time to show it).
 * Two attempts side by side can never both claim: each step is one statement, and the insert of
 * one makes the other's update find a recent attempt. When not claimed, says when the last
 * attempt was (undefined: it has just finished and cleared its intent).
 */
export async function claimCreateAttempt(
  db: Db,
  key: string,
  quietMs: number,
  now = new Date(),
): Promise<{ claimed: true } | { claimed: false; lastAttemptAt: Date | undefined }> {
  const inserted = await db.createIntent.createMany({
    data: [{ key, firstAttemptAt: now, lastAttemptAt: now }],
    skipDuplicates: true,
  });
  if (inserted.count === 1) return { claimed: true };
  const moved = await db.createIntent.updateMany({
    where: { key, lastAttemptAt: { lte: new Date(now.getTime() - quietMs) } },
    data: { lastAttemptAt: now, attempts: { increment: 1 } },
  });
  if (moved.count === 1) return { claimed: true };
  return { claimed: false, lastAttemptAt: (await findCreateIntent(db, key))?.lastAttemptAt };
}

export async function clearCreateIntent(db: Db, key: string) {
  await db.createIntent.deleteMany({ where: { key } });
}
