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

export async function clearCreateIntent(db: Db, key: string) {
  await db.createIntent.deleteMany({ where: { key } });
}
