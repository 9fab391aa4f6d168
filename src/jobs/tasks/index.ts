import type { AppDeps } from '../../deps.js';
import type { TaskDefinition } from '../defineTask.js';
import addJiraRemoteLinks from './add_jira_remote_links.js';
import addJiraWatcher from './add_jira_watcher.js';
import createIncidentChannel from './create_incident_channel.js';
import createJiraTicket from './create_jira_ticket.js';
import linkJiraInSlack from './link_jira_in_slack.js';
import notifyNormalIncident from './notify_normal_incident.js';
import postIncidentUpdate from './post_incident_update.js';
import refreshIncidentMessages from './refresh_incident_messages.js';
import welcomeRoleHolder from './welcome_role_holder.js';
import archiveIncidentChannel from './archive_incident_channel.js';
import scanReminders from './scan_reminders.js';
import sendReminder from './send_reminder.js';
import refreshAppHomes from './refresh_app_homes.js';
import syncJiraTicket from './sync_jira_ticket.js';
import applyJiraDelivery from './apply_jira_delivery.js';
import postSyncNotice from './post_sync_notice.js';
import reconcileJiraSync from './reconcile_jira_sync.js';
import pruneSyncRecords from './prune_sync_records.js';
import createPostMortem from './create_postmortem.js';
import finishPostMortem from './finish_postmortem.js';
import refreshPostMortemTimeline from './refresh_postmortem_timeline.js';

/** Every job the bot runs; one file per task under this folder, task id = file name. */
export const tasks = [
  createIncidentChannel,
  notifyNormalIncident,
  createJiraTicket,
  addJiraWatcher,
  addJiraRemoteLinks,
  linkJiraInSlack,
  refreshIncidentMessages,
  postIncidentUpdate,
  welcomeRoleHolder,
  archiveIncidentChannel,
  scanReminders,
  sendReminder,
  refreshAppHomes,
  syncJiraTicket,
  applyJiraDelivery,
  postSyncNotice,
  reconcileJiraSync,
  pruneSyncRecords,
  createPostMortem,
  finishPostMortem,
  refreshPostMortemTimeline,
] as unknown as readonly TaskDefinition<AppDeps>[];
