import type { AppDeps } from '../../deps.js';
import type { TaskDefinition } from '../defineTask.js';

/** Every job the bot runs; one file per task under this folder, task id = file name. */
export const tasks: readonly TaskDefinition<AppDeps>[] = [];
