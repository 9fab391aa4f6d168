import { addSystemNote } from '../db/repositories/history.js';
import { journal } from '../db/repositories/syncState.js';
import type { AppDeps } from '../deps.js';
import { jiraTicketDeleted } from '../slack/messages/syncNotices.js';
import { tellIncident } from './notices.js';

/**
 * The incident's ticket no longer exists in Jira (deleted webhook, or a read that says 404):
 * the incident keeps running, the row is marked deleted (nothing syncs to it any more), the
 * channel is told once, and `/incident update` can create a new ticket.
 */
export async function markTicketDeleted(
  deps: AppDeps,
  incidentId: number,
  how: { deliveryId?: string | undefined; actor?: string | undefined },
): Promise<boolean> {
  return deps.prisma.$transaction(async (tx) => {
    const ticket = await tx.jiraTicket.findUnique({ where: { incidentId } });
    if (!ticket || ticket.deletedAt) return false;
    await tx.jiraTicket.update({ where: { incidentId }, data: { deletedAt: new Date() } });
    await tx.syncField.deleteMany({ where: { incidentId } });
    await addSystemNote(tx, incidentId, `Jira ticket ${ticket.key} was deleted in Jira`);
    await journal(tx, [
      {
        incidentId,
        direction: 'INBOUND',
        field: 'ticket',
        fromValue: ticket.key,
        toValue: null,
        outcome: 'applied',
        reason: 'the ticket was deleted in Jira',
        actor: how.actor,
        deliveryId: how.deliveryId,
      },
    ]);
    await tellIncident(tx, incidentId, `deleted:${ticket.key}`, jiraTicketDeleted(ticket.key));
    return true;
  });
}
