/** Task identifiers (= file names under src/jobs/tasks/) and their job keys. */
export const TaskIds = {
  createIncidentChannel: 'create_incident_channel',
  notifyNormalIncident: 'notify_normal_incident',
  createJiraTicket: 'create_jira_ticket',
  addJiraWatcher: 'add_jira_watcher',
  addJiraRemoteLinks: 'add_jira_remote_links',
  linkJiraInSlack: 'link_jira_in_slack',
} as const;

export const jobKeys = {
  channel: (incidentId: number) => `incident:${incidentId}:channel`,
  normalNotice: (incidentId: number) => `incident:${incidentId}:normal-notice`,
  jiraTicket: (incidentId: number) => `incident:${incidentId}:jira-ticket`,
  jiraWatcher: (incidentId: number) => `incident:${incidentId}:jira-watcher`,
  jiraRemoteLinks: (incidentId: number) => `incident:${incidentId}:jira-remote-links`,
  jiraSlackLinks: (incidentId: number) => `incident:${incidentId}:jira-slack-links`,
};
