import { createHash } from 'node:crypto';
import type { Db } from '../prisma.js';

/** Kept of a refused body: enough to see what was sent, bounded so a flood cannot fill the disk. */
const MAX_STORED_BODY = 64 * 1024;

/**
 * Audit record of an inbound request refused for its content (signed, but malformed). Stored
 * once per distinct body: the same body sent again only bumps nothing.
 */
export async function recordRejectedDelivery(
  db: Db,
  rejected: { source: string; reason: string; headers: Record<string, string | undefined>; rawBody: string },
): Promise<void> {
  const digest = createHash('sha256').update(rejected.rawBody).digest('hex');
  await db.webhookDelivery.upsert({
    where: { source_deliveryId: { source: rejected.source, deliveryId: `rejected:${digest}` } },
    create: {
      source: rejected.source,
      deliveryId: `rejected:${digest}`,
      headers: Object.fromEntries(
        Object.entries(rejected.headers).filter(([, value]) => value !== undefined),
      ),
      rawBody: rejected.rawBody.slice(0, MAX_STORED_BODY),
      state: 'REJECTED',
      error: rejected.reason,
      processedAt: new Date(),
    },
    update: {},
  });
}
