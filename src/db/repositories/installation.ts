import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../prisma.js';

/**
 * This installation's marker id, made once (random) and kept in its database. A new database is
 * a new installation: it never adopts tickets another one (or an earlier life of it) created.
 */
export async function installationMarkerId(prisma: PrismaClient): Promise<string> {
  const existing = await prisma.installation.findUnique({ where: { id: 1 } });
  if (existing) return existing.markerId;
  const created = await prisma.installation.upsert({
    where: { id: 1 },
    create: { id: 1, markerId: randomBytes(4).toString('hex') },
    update: {},
  });
  return created.markerId;
}
