import type { Prisma } from '../prisma.js';

/**
 * `isVisibleTo` (src/domain/visibility.ts) as a Prisma filter: public incidents, and private
 * ones the viewer reported, holds a role in, or is a member of. Every query that lists or finds
 * incidents for a person adds it.
 */
export function visibleTo(viewerSlackId: string): Prisma.IncidentWhereInput {
  const viewer = { slackUserId: viewerSlackId };
  return {
    OR: [
      { isPrivate: false },
      { createdBy: viewer },
      { roles: { some: { user: viewer } } },
      { members: { some: { user: viewer } } },
    ],
  };
}
