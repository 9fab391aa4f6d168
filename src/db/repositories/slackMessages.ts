import type { Db } from '../prisma.js';

/** Kinds of bot messages we find again to edit in place, or to know they were already sent. */
export const MessageTypes = {
  announcement: 'announcement',
  incidentsChannelAnnouncement: 'incidents_channel_announcement',
  reporterNotice: 'reporter_notice',
  alertNotice: 'alert_notice',
  incidentPageBookmark: 'bookmark:incident_page',
  jiraBookmark: 'bookmark:jira',
  postMortemBookmark: 'bookmark:postmortem',
  postMortemCreated: 'postmortem_created',
  jiraDelayNotice: 'jira_delay_notice',
  inviteFailures: 'invite_failures',
  updateReminder: 'update_reminder',
} as const;
export type MessageType = (typeof MessageTypes)[keyof typeof MessageTypes];

export async function findMessage(db: Db, incidentId: number, type: MessageType) {
  return db.slackMessage.findFirst({ where: { incidentId, type }, orderBy: { id: 'desc' } });
}

export async function saveMessage(
  db: Db,
  message: { incidentId: number; channelId: string; ts: string; type: MessageType; createdAt?: Date },
) {
  return db.slackMessage.upsert({
    where: { channelId_ts: { channelId: message.channelId, ts: message.ts } },
    create: message,
    update: { type: message.type },
  });
}
