import { createHash } from 'node:crypto';
import type { Db } from '../prisma.js';
import { storableText } from '../../domain/userText.js';

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
  const headers = Object.entries(rejected.headers).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  await db.webhookDelivery.upsert({
    where: { source_deliveryId: { source: rejected.source, deliveryId: `rejected:${digest}` } },
    create: {
      source: rejected.source,
      deliveryId: `rejected:${digest}`,
      headers: Object.fromEntries(headers.map(([name, value]) => [name, storableText(value)])),
      rawBody: storableText(rejected.rawBody, MAX_STORED_BODY),
      state: 'REJECTED',
      error: storableText(rejected.reason),
      processedAt: new Date(),
    },
    update: {},
  });
}
