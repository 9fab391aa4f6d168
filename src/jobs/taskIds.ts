/** Task identifiers (= file names under src/jobs/tasks/) and their job keys. */
export const TaskIds = {
  createIncidentChannel: 'create_incident_channel',
  notifyNormalIncident: 'notify_normal_incident',
  createJiraTicket: 'create_jira_ticket',
} as const;

export const jobKeys = {
  channel: (incidentId: number) => `incident:${incidentId}:channel`,
  normalNotice: (incidentId: number) => `incident:${incidentId}:normal-notice`,
  jiraTicket: (incidentId: number) => `incident:${incidentId}:jira-ticket`,
};
