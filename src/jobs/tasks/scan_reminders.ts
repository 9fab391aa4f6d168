import { z } from 'zod';
import { postMortemCandidates, quietIncidentCandidates } from '../../db/repositories/reminders.js';
import type { AppDeps } from '../../deps.js';
import { needsPostMortem } from '../../domain/priorities.js';
import { postMortemReminderWindow, updateReminderDue, withinOfficeHours } from '../../domain/reminders.js';
import { defineTask } from '../defineTask.js';
import { enqueueJob } from '../enqueue.js';
import { TaskIds, slackQueue } from '../taskIds.js';

/** graphile-worker's cron passes `_cron.ts` (the scheduled minute): that is "now", so a late or repeated run decides the same. */
const scanPayload = z
  .object({ _cron: z.object({ ts: z.string() }).loose().optional(), at: z.string().optional() })
  .loose();

/**
 * Every minute (crontab): which incidents are due a reminder. Each reminder is its own job, keyed
 * by its window (`unsafe_dedupe`: a second scan of the same window adds nothing), and the job
 * checks again before posting — so reminders survive restarts and never repeat within a window.
 */
export default defineTask<AppDeps, typeof scanPayload>({
  id: TaskIds.scanReminders,
  payload: scanPayload,
  async run(payload, { deps }) {
    const now = new Date(payload.at ?? payload._cron?.ts ?? Date.now());
    const { reminders, catalog } = deps.config.mapping;
    const officeHours = { timeZone: reminders.timeZone, ...reminders.officeHours };
    for (const incident of await quietIncidentCandidates(deps.prisma)) {
      const reminder = updateReminderDue({ ...incident, now, officeHours });
      if (reminder === undefined) continue;
      await enqueueJob(
        deps.prisma,
        TaskIds.sendReminder,
        {
          incidentId: incident.id,
          kind: 'update',
          window: reminder,
          since: incident.lastUpdateAt.toISOString(),
          at: now.toISOString(),
        },
        {
          jobKey: `incident:${incident.id}:reminder:${incident.lastUpdateAt.getTime()}:${reminder}`,
          jobKeyMode: 'unsafe_dedupe',
          queueName: slackQueue(incident.id),
        },
      );
    }
    for (const incident of await postMortemCandidates(deps.prisma)) {
      const environments = incident.environments.map((link) => link.environment.value);
      if (!needsPostMortem(incident.priorityId, environments, catalog.productionEnvironments)) continue;
      const window = postMortemReminderWindow(incident.mitigatedAt!, now, reminders.postMortemEveryDays);
      if (window === undefined || !withinOfficeHours(now, officeHours)) continue;
      await enqueueJob(
        deps.prisma,
        TaskIds.sendReminder,
        { incidentId: incident.id, kind: 'postmortem', window },
        {
          jobKey: `incident:${incident.id}:pm-reminder:${window}`,
          jobKeyMode: 'unsafe_dedupe',
          queueName: slackQueue(incident.id),
        },
      );
    }
  },
});
