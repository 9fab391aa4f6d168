import { z } from 'zod';
import { incidentContact } from '../../db/repositories/incidents.js';
import type { AppDeps } from '../../deps.js';
import { postOnce } from '../effects/postOnce.js';
import { defineTask } from '../defineTask.js';
import { incidentPayload } from '../payloads.js';
import { TaskIds } from '../taskIds.js';

const payload = incidentPayload.extend({ key: z.string().min(1), text: z.string().min(1) });

/** A sync message (refused Jira change, failed push, deleted ticket, comment), posted once. */
export default defineTask<AppDeps, typeof payload>({
  id: TaskIds.postSyncNotice,
  payload,
  async run({ incidentId, key, text }, { deps }) {
    const contact = await incidentContact(deps.prisma, incidentId);
    const target = contact?.channelId ?? contact?.reporterSlackId;
    if (!target) return;
    await postOnce(deps, incidentId, `sync:${key}`, target, {
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    });
  },
  async onPermanentFailure({ incidentId, key }, error, { deps }) {
    // Nowhere left to say it (archived channel, refused blocks): the journal keeps the record.
    deps.logger.error({ incidentId, key, code: error.code, err: error }, 'a sync notice could not be posted');
  },
});
