import { z } from 'zod';

/** Every incident job carries the incident id and nothing else: the job reads the current state. */
export const incidentPayload = z.object({ incidentId: z.number().int().positive() });
export type IncidentPayload = z.infer<typeof incidentPayload>;
