import type { Db } from '../prisma.js';

/** The User row of a Slack user, created on first sight. */
export async function upsertSlackUser(db: Db, slackUserId: string, teamId?: string, name?: string) {
  return db.user.upsert({
    where: { slackUserId },
    create: { slackUserId, slackTeamId: teamId ?? null, name: name ?? null },
    update: name ? { name } : {},
  });
}
