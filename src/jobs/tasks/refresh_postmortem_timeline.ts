import type { AppDeps } from '../../deps.js';
import { fieldValue } from '../../domain/jiraTicket.js';
import { requireJira } from '../../jira/requireJira.js';
import { loadPostMortemData } from '../../postmortem/data.js';
import { timelineField, timelineHash } from '../../postmortem/issueFields.js';
import { defineTask } from '../defineTask.js';
import { incidentPayload } from '../payloads.js';
import { TaskIds } from '../taskIds.js';

/**
 * Re-render the post-mortem's timeline after a key-event, status or priority change (one keyed
 * job: the last state wins) and write it only when the text changed.
 */
export default defineTask<AppDeps, typeof incidentPayload>({
  id: TaskIds.refreshPostMortemTimeline,
  payload: incidentPayload,
  async run({ incidentId }, { deps, logger }) {
    const spec = timelineField(deps.config.mapping);
    const postMortem = await deps.prisma.postMortem.findUnique({ where: { incidentId } });
    if (!spec || !postMortem) return;
    const { data } = await loadPostMortemData(deps, incidentId);
    const text = deps.postMortemTemplates.render('timeline', data);
    const hash = timelineHash(text);
    if (hash === postMortem.timelineHash) return;
    await requireJira(deps).editIssue(postMortem.key, { [spec.id]: fieldValue(spec, text) });
    await deps.prisma.postMortem.update({ where: { incidentId }, data: { timelineHash: hash } });
    logger.info({ incidentId, key: postMortem.key }, 'post-mortem timeline refreshed');
  },
});
