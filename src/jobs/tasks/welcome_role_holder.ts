import { incidentContact } from '../../db/repositories/incidents.js';
import type { AppDeps } from '../../deps.js';
import { roleTypes } from '../../domain/roles.js';
import { inviteUsers } from '../../slack/inviteUsers.js';
import { roleWelcome } from '../../slack/messages/incidentUpdate.js';
import { postOnce } from '../effects/postOnce.js';
import { defineTask } from '../defineTask.js';
import { roleHolderPayload } from '../payloads.js';
import { runIndependentSteps } from '../steps.js';
import { TaskIds } from '../taskIds.js';

/** A new role holder is invited into the channel and told by DM what they now hold. */
export default defineTask<AppDeps, typeof roleHolderPayload>({
  id: TaskIds.welcomeRoleHolder,
  payload: roleHolderPayload,
  async run({ incidentId, role, slackUserId }, { deps, logger }) {
    const contact = await incidentContact(deps.prisma, incidentId);
    if (!contact) return;
    const roleName = roleTypes.find((type) => type.slug === role)?.name ?? role;
    await runIndependentSteps(
      {
        invite: async () => {
          if (contact.channelId) await inviteUsers(deps.slack, contact.channelId, [slackUserId], logger);
        },
        // Once per person and role: a retry after a failed invite does not DM again.
        DM: () =>
          postOnce(deps, incidentId, `role_welcome:${role}:${slackUserId}`, slackUserId, {
            text: roleWelcome({ roleName, incidentId, title: contact.title, channelId: contact.channelId }),
          }),
      },
      logger,
    );
  },
});
