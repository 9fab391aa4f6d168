import type { AppDeps } from '../../deps.js';
import type { TaskDefinition } from '../defineTask.js';
import createIncidentChannel from './create_incident_channel.js';
import notifyNormalIncident from './notify_normal_incident.js';

/** Every job the bot runs; one file per task under this folder, task id = file name. */
export const tasks: readonly TaskDefinition<AppDeps>[] = [
  createIncidentChannel as TaskDefinition<AppDeps>,
  notifyNormalIncident as TaskDefinition<AppDeps>,
];
