import type { Mapping } from '../../config/index.js';
import { IMPACT } from '../../domain/impacts.js';
import type { Db } from '../prisma.js';

/** Everything the announcement, topic and notices show about an incident. */
export interface IncidentCard {
  id: number;
  title: string;
  description: string;
  status: string;
  priority: { value: number; name: string; emoji: string; description: string };
  category: { name: string; group: string; isPrivate: boolean };
  environments: string[];
  platforms: string[];
  featureTeam: string | null;
  reporterId: number;
  reporterSlackId: string | null;
  reporterName: string | null;
  /** Extra values from the open form (customer/seller ticket ids…). */
  customFields: Record<string, string>;
  commanderSlackId: string | null;
  createdAt: Date;
  businessImpact: string | null;
  jira: { key: string; url: string } | null;
  postMortem: { key: string; url: string } | null;
  channel: { id: string; name: string } | null;
  incidentUrl: string | null;
}

export async function loadIncidentCard(
  db: Db,
  incidentId: number,
  mapping: Mapping,
): Promise<IncidentCard | null> {
  const incident = await db.incident.findUnique({
    where: { id: incidentId },
    include: {
      priority: true,
      category: { include: { group: true } },
      environments: { include: { environment: true } },
      createdBy: true,
      roles: { include: { roleType: true, user: true } },
      impacts: { include: { impactType: true, impactLevel: true } },
      jiraTicket: true,
      postMortem: true,
      slackChannel: true,
    },
  });
  if (!incident) return null;
  const commander = incident.roles.find((role) => role.roleType.slug === 'commander');
  const business = incident.impacts.find((impact) => impact.impactType.slug === IMPACT.business);
  return {
    id: incident.id,
    title: incident.title,
    description: incident.description,
    status: incident.status,
    priority: incident.priority,
    category: {
      name: incident.category.name,
      group: incident.category.group.name,
      isPrivate: incident.isPrivate,
    },
    environments: incident.environments
      .map((link) => link.environment)
      .sort((a, b) => a.order - b.order)
      .map((environment) => environment.value),
    platforms: incident.platforms,
    featureTeam: incident.featureTeam,
    reporterId: incident.createdById,
    reporterSlackId: incident.createdBy.slackUserId,
    reporterName: incident.createdBy.name,
    customFields: (incident.customFields ?? {}) as Record<string, string>,
    commanderSlackId: commander?.user.slackUserId ?? null,
    createdAt: incident.createdAt,
    businessImpact: business?.impactLevel.value ?? null,
    jira: incident.jiraTicket ? { key: incident.jiraTicket.key, url: incident.jiraTicket.url } : null,
    postMortem: incident.postMortem ? { key: incident.postMortem.key, url: incident.postMortem.url } : null,
    channel: incident.slackChannel
      ? { id: incident.slackChannel.channelId, name: incident.slackChannel.name }
      : null,
    incidentUrl: mapping.slack.incidentUrlTemplate?.replace('{id}', String(incident.id)) ?? null,
  };
}
