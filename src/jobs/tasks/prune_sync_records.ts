import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { defineTask } from '../defineTask.js';
import { TaskIds } from '../taskIds.js';

const payload = z.object({}).loose();

/**
 * Daily (crontab): deliveries and sync journal entries past their retention
 * (WEBHOOK_RETENTION_DAYS), and sync marks that can no longer match.
 */
export default defineTask<AppDeps, typeof payload>({
  id: TaskIds.pruneSyncRecords,
  payload,
  async run(_payload, { deps, logger }) {
    const cutoff = new Date(Date.now() - deps.config.env.WEBHOOK_RETENTION_DAYS * 24 * 3600_000);
    const deliveries = await deps.prisma.webhookDelivery.deleteMany({
      where: { receivedAt: { lt: cutoff } },
    });
    const marks = await deps.prisma.syncMark.deleteMany({
      where: { expiresAt: { lt: new Date(Date.now() - 24 * 3600_000) } },
    });
    const journal = await deps.prisma.syncJournal.deleteMany({ where: { createdAt: { lt: cutoff } } });
    logger.info(
      { deliveries: deliveries.count, marks: marks.count, journal: journal.count },
      'pruned sync records',
    );
  },
});
