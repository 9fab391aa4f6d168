import { isCritical } from './priorities.js';

/**
 * The visibility rule. A private incident (private category) is visible only to its members:
 * the reporter, the holders of a role, and the people in its channel. A public incident is
 * visible to everyone in the workspace. Every list, picker, recap, warning and announcement
 * applies this rule; the repository helper `visibleTo` is the same rule as a query.
 */
export interface IncidentAudience {
  isPrivate: boolean;
  reporterSlackId: string | null;
  roleHolderSlackIds: readonly string[];
  memberSlackIds: readonly string[];
}

export function isVisibleTo(incident: IncidentAudience, viewerSlackId: string): boolean {
  if (!incident.isPrivate) return true;
  return (
    incident.reporterSlackId === viewerSlackId ||
    incident.roleHolderSlackIds.includes(viewerSlackId) ||
    incident.memberSlackIds.includes(viewerSlackId)
  );
}

/** Shared surfaces (incidents channel, alert channels, anyone's App Home) never show private incidents. */
export const mayAnnounceInSharedChannels = (incident: Pick<IncidentAudience, 'isPrivate'>): boolean =>
  !incident.isPrivate;

/**
 * The incidents channel hears of P1–P3 incidents in a production environment, and never of a
 * private one.
 */
export function belongsInIncidentsChannel(
  incident: { priority: number; environments: readonly string[]; isPrivate: boolean },
  productionEnvironments: readonly string[],
): boolean {
  return (
    isCritical(incident.priority) &&
    incident.environments.some((environment) => productionEnvironments.includes(environment)) &&
    mayAnnounceInSharedChannels(incident)
  );
}
