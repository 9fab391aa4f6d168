import { z } from 'zod';

/** Every incident job carries the incident id and nothing else: the job reads the current state. */
export const incidentPayload = z.object({ incidentId: z.number().int().positive() });
export type IncidentPayload = z.infer<typeof incidentPayload>;

/** A change written through the change path: its first IncidentUpdate row. */
export const incidentUpdatePayload = incidentPayload.extend({
  updateId: z.number().int().positive(),
  escalation: z.enum(['escalated', 'deescalated']).optional(),
});

/** An incident just closed, and by whom (null: by the bot or from Jira). */
export const incidentClosedPayload = incidentPayload.extend({ closedBy: z.string().nullable() });

/** A role holder to welcome (DM, and an invite into the channel). */
export const roleHolderPayload = incidentPayload.extend({
  role: z.string().min(1),
  slackUserId: z.string().min(1),
});
