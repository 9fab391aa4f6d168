/** Task identifiers (= file names under src/jobs/tasks/) and their job keys. */
export const TaskIds = {
  createIncidentChannel: 'create_incident_channel',
  notifyNormalIncident: 'notify_normal_incident',
  createJiraTicket: 'create_jira_ticket',
  addJiraWatcher: 'add_jira_watcher',
  addJiraRemoteLinks: 'add_jira_remote_links',
  linkJiraInSlack: 'link_jira_in_slack',
  refreshIncidentMessages: 'refresh_incident_messages',
  postIncidentUpdate: 'post_incident_update',
  welcomeRoleHolder: 'welcome_role_holder',
  archiveIncidentChannel: 'archive_incident_channel',
  scanReminders: 'scan_reminders',
  sendReminder: 'send_reminder',
  refreshAppHomes: 'refresh_app_homes',
  syncJiraTicket: 'sync_jira_ticket',
  applyJiraDelivery: 'apply_jira_delivery',
  postSyncNotice: 'post_sync_notice',
  reconcileJiraSync: 'reconcile_jira_sync',
  pruneSyncRecords: 'prune_sync_records',
  createPostMortem: 'create_postmortem',
  finishPostMortem: 'finish_postmortem',
  refreshPostMortemTimeline: 'refresh_postmortem_timeline',
} as const;

/**
 * Slack side effects of one incident (channel set-up, notices, announcement edits, bookmarks)
 * run one at a time, in order: graphile-worker runs the jobs of a named queue serially. Jira
 * calls stay outside it, so a Slack outage never holds up the ticket.
 */
export const slackQueue = (incidentId: number) => `incident:${incidentId}:slack`;

/**
 * Jira sync of one incident (pushes, deliveries, reconcile) runs one job at a time, across every
 * bot process sharing the database: two never interleave their reads and writes of one ticket.
 */
export const jiraQueue = (incidentId: number | string) => `incident:${incidentId}:jira`;

/**
 * Post-mortem creation of one incident: a request made while an attempt runs waits for it (see
 * requestPostMortem), so two attempts never search for the marker and create side by side.
 */
export const postMortemQueue = (incidentId: number) => `incident:${incidentId}:postmortem`;

/** One App Home refresh for everyone, a moment after the last change (a burst collapses). */
export const APP_HOME_JOB_KEY = 'app-home:refresh';
export const APP_HOME_DELAY_MS = 2_000;

export const jobKeys = {
  channel: (incidentId: number) => `incident:${incidentId}:channel`,
  normalNotice: (incidentId: number) => `incident:${incidentId}:normal-notice`,
  jiraTicket: (incidentId: number) => `incident:${incidentId}:jira-ticket`,
  jiraWatcher: (incidentId: number) => `incident:${incidentId}:jira-watcher`,
  jiraRemoteLinks: (incidentId: number) => `incident:${incidentId}:jira-remote-links`,
  jiraSlackLinks: (incidentId: number) => `incident:${incidentId}:jira-slack-links`,
  /** Announcement, notices and topic: one key, so a burst of edits renders the last state once. */
  messages: (incidentId: number) => `incident:${incidentId}:messages`,
  update: (incidentId: number, updateId: number) => `incident:${incidentId}:update:${updateId}`,
  role: (incidentId: number, slug: string) => `incident:${incidentId}:role:${slug}`,
  archive: (incidentId: number) => `incident:${incidentId}:archive`,
  /** Latest state pushed/pulled once: a burst of edits collapses into one sync. */
  jiraSync: (incidentId: number) => `incident:${incidentId}:jira-sync`,
  delivery: (deliveryRowId: number | string) => `jira-delivery:${deliveryRowId}`,
  postMortem: (incidentId: number) => `incident:${incidentId}:postmortem`,
  postMortemFinish: (incidentId: number) => `incident:${incidentId}:postmortem-finish`,
  postMortemTimeline: (incidentId: number) => `incident:${incidentId}:postmortem-timeline`,
};
