import type { Db } from '../prisma.js';
import { upsertSlackUser } from './users.js';

/**
 * People in an incident's channel are its members: they may see it even when it is private.
 * Recorded when the bot invites them and when Slack says someone joined; idempotent.
 */
export async function addIncidentMembers(db: Db, incidentId: number, slackUserIds: readonly string[]) {
  for (const slackUserId of new Set(slackUserIds)) {
    const user = await upsertSlackUser(db, slackUserId);
    await db.incidentMember.upsert({
      where: { incidentId_userId: { incidentId, userId: user.id } },
      create: { incidentId, userId: user.id },
      update: {},
    });
  }
}

/** Someone left the channel: no longer a member (roles they hold still make it visible to them). */
export async function removeIncidentMember(db: Db, incidentId: number, slackUserId: string) {
  await db.incidentMember.deleteMany({ where: { incidentId, user: { slackUserId } } });
}

/** The incident whose channel this is, if any. */
export async function incidentIdForChannel(db: Db, channelId: string): Promise<number | undefined> {
  const channel = await db.slackChannel.findUnique({ where: { channelId }, select: { incidentId: true } });
  return channel?.incidentId;
}

/** Is this person the reporter, a role holder or a recorded member of the incident? */
export async function isIncidentMember(db: Db, incidentId: number, slackUserId: string): Promise<boolean> {
  const viewer = { slackUserId };
  const found = await db.incident.count({
    where: {
      id: incidentId,
      OR: [
        { createdBy: viewer },
        { roles: { some: { user: viewer } } },
        { members: { some: { user: viewer } } },
      ],
    },
  });
  return found > 0;
}

/** Does this person hold the given role on the incident? */
export async function holdsRole(
  db: Db,
  incidentId: number,
  roleSlug: string,
  slackUserId: string,
): Promise<boolean> {
  const found = await db.role.count({
    where: { incidentId, roleType: { slug: roleSlug }, user: { slackUserId } },
  });
  return found > 0;
}
