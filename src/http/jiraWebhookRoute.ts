import type { CustomRoute } from '@slack/bolt';
import { sendJson } from './json.js';

/**
 * POST /jira/webhook. Inbound Jira sync (verify HMAC, record the delivery once, enqueue) is
 * the sync issue's work; until then Jira is told plainly that nothing is processed here.
 */
export function jiraWebhookRoute(): CustomRoute {
  return {
    path: '/jira/webhook',
    method: ['POST'],
    handler: (_request, response) => {
      sendJson(response, 501, {
        error: 'not_implemented',
        message: 'Jira → incident sync is not enabled yet',
      });
    },
  };
}
