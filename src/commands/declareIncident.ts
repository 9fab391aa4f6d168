import type { OpenIncidentForm } from '../domain/openIncidentForm.js';
import { isCritical } from '../domain/priorities.js';
import { Prisma, type PrismaClient } from '../db/prisma.js';
import { upsertSlackUser } from '../db/repositories/users.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { TaskIds, jobKeys } from '../jobs/taskIds.js';

export interface DeclareIncidentProps {
  prisma: PrismaClient;
  /** Idempotency key of the interaction (Slack view id): a retry returns the same incident. */
  declareKey: string;
  reporter: { slackUserId: string; teamId?: string | undefined; name?: string | undefined };
  priority: number;
  impacts: Record<string, string>;
  form: OpenIncidentForm;
}

export interface DeclaredIncident {
  id: number;
  priority: number;
  created: boolean;
}

/**
 * Declare an incident in ONE transaction: the incident, its first update, the `declared` key
 * event, the reporter as commander and member, impacts, environments, and the jobs for every
 * external effect (P1–P3 channel or P4–P5 notices, and the Jira ticket for every priority).
 */
export async function declareIncident(props: DeclareIncidentProps): Promise<DeclaredIncident> {
  const { prisma, form } = props;
  const existing = await prisma.incident.findUnique({ where: { declareKey: props.declareKey } });
  if (existing) return { id: existing.id, priority: existing.priorityId, created: false };
  try {
    return await prisma.$transaction(async (tx) => {
      const reporter = await upsertSlackUser(
        tx,
        props.reporter.slackUserId,
        props.reporter.teamId,
        props.reporter.name,
      );
      const category = await tx.category.findUniqueOrThrow({ where: { name: form.category } });
      const environments = await tx.environment.findMany({ where: { value: { in: form.environments } } });
      const impactLevels = await tx.impactLevel.findMany({
        where: { impactType: { slug: { in: Object.keys(props.impacts) } } },
        include: { impactType: true },
      });
      const customFields = Object.fromEntries(
        Object.entries({
          customerTicketId: form.customerTicketId,
          sellerContractId: form.sellerContractId,
          sellerTicketId: form.sellerTicketId,
        }).filter(([, value]) => value),
      );
      const now = new Date();
      const incident = await tx.incident.create({
        data: {
          title: form.title,
          description: form.description,
          priorityId: props.priority,
          categoryId: category.id,
          platforms: form.platforms,
          featureTeam: form.featureTeam ?? null,
          isPrivate: category.isPrivate,
          customFields,
          createdById: reporter.id,
          declareKey: props.declareKey,
          environments: { create: environments.map((environment) => ({ environmentId: environment.id })) },
          impacts: {
            create: impactLevels
              .filter((level) => props.impacts[level.impactType.slug] === level.value)
              .map((level) => ({ impactTypeId: level.impactTypeId, impactLevelId: level.id })),
          },
          members: { create: { userId: reporter.id } },
          updates: {
            create: {
              eventType: 'DECLARED',
              source: 'SLACK',
              message: 'Incident declared',
              status: 'OPEN',
              priorityId: props.priority,
              categoryId: category.id,
              title: form.title,
              description: form.description,
              authorId: reporter.id,
              eventTs: now,
            },
          },
          keyEvents: { create: { type: 'DECLARED', occurredAt: now, authorId: reporter.id } },
        },
      });
      const commander = await tx.roleType.findUniqueOrThrow({ where: { slug: 'commander' } });
      await tx.role.create({
        data: { incidentId: incident.id, roleTypeId: commander.id, userId: reporter.id },
      });

      const payload = { incidentId: incident.id };
      if (isCritical(props.priority)) {
        await enqueueJob(tx, TaskIds.createIncidentChannel, payload, {
          jobKey: jobKeys.channel(incident.id),
        });
      } else {
        await enqueueJob(tx, TaskIds.notifyNormalIncident, payload, {
          jobKey: jobKeys.normalNotice(incident.id),
        });
      }
      await enqueueJob(tx, TaskIds.createJiraTicket, payload, { jobKey: jobKeys.jiraTicket(incident.id) });
      return { id: incident.id, priority: props.priority, created: true };
    });
  } catch (error) {
    // Two deliveries of the same submission raced: the other one won; return its incident.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const winner = await prisma.incident.findUniqueOrThrow({ where: { declareKey: props.declareKey } });
      return { id: winner.id, priority: winner.priorityId, created: false };
    }
    throw error;
  }
}

/** P1–P3 incidents declared within the last hour, newest first (to warn about duplicates). */
export async function recentCriticalIncidents(prisma: PrismaClient, since = new Date(Date.now() - 3600_000)) {
  return prisma.incident.findMany({
    where: { createdAt: { gte: since }, priorityId: { lte: 3 } },
    orderBy: { createdAt: 'desc' },
    take: 3,
    include: { priority: true },
  });
}
