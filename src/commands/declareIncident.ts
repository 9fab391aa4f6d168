import type { OpenIncidentForm } from '../domain/openIncidentForm.js';
import { isCritical } from '../domain/priorities.js';
import { Prisma, type PrismaClient } from '../db/prisma.js';
import type { ReferenceData } from '../db/repositories/referenceData.js';
import { upsertSlackUser } from '../db/repositories/users.js';
import { AppError } from '../errors.js';
import { enqueueAppHomeRefresh } from '../jobs/appHomeRefresh.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { TaskIds, jobKeys, slackQueue } from '../jobs/taskIds.js';

export interface DeclareIncidentProps {
  prisma: PrismaClient;
  /** Idempotency key of the interaction (Slack view id): a retry returns the same incident. */
  declareKey: string;
  reporter: { slackUserId: string; teamId?: string | undefined; name?: string | undefined };
  priority: number;
  impacts: Record<string, string>;
  form: OpenIncidentForm;
  reference: ReferenceData;
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
  const { prisma, form, reference } = props;
  const existing = await prisma.incident.findUnique({ where: { declareKey: props.declareKey } });
  if (existing) return { id: existing.id, priority: existing.priorityId, created: false };

  const category = reference.categoryByName.get(form.category);
  const commanderRole = reference.roleTypeIdBySlug.get('commander');
  if (!category || commanderRole === undefined) {
    throw new AppError('VALIDATION_FAILED', `unknown category ${form.category}`, {
      userMessage: 'Select a valid choice.',
    });
  }
  const environmentIds = form.environments
    .map((value) => reference.environmentIdByValue.get(value))
    .filter((id): id is number => id !== undefined);
  const impacts = Object.entries(props.impacts)
    .map(([slug, value]) => reference.impactLevel.get(`${slug}:${value}`))
    .filter((impact): impact is { impactTypeId: number; impactLevelId: number } => impact !== undefined);
  const customFields = Object.fromEntries(
    Object.entries({
      customerTicketId: form.customerTicketId,
      sellerContractId: form.sellerContractId,
      sellerTicketId: form.sellerTicketId,
    }).filter(([, value]) => value),
  );
  // Outside the transaction: harmless if the declaration fails, and no lock held meanwhile.
  const reporter = await upsertSlackUser(
    prisma,
    props.reporter.slackUserId,
    props.reporter.teamId,
    props.reporter.name,
  );

  try {
    return await prisma.$transaction(async (tx) => {
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
          environments: { create: environmentIds.map((environmentId) => ({ environmentId })) },
          impacts: { create: impacts },
          members: { create: { userId: reporter.id } },
          roles: { create: { roleTypeId: commanderRole, userId: reporter.id } },
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
        select: { id: true },
      });
      const payload = { incidentId: incident.id };
      if (isCritical(props.priority)) {
        await enqueueJob(tx, TaskIds.createIncidentChannel, payload, {
          jobKey: jobKeys.channel(incident.id),
          queueName: slackQueue(incident.id),
        });
      } else {
        await enqueueJob(tx, TaskIds.notifyNormalIncident, payload, {
          jobKey: jobKeys.normalNotice(incident.id),
          queueName: slackQueue(incident.id),
        });
      }
      await enqueueJob(tx, TaskIds.createJiraTicket, payload, { jobKey: jobKeys.jiraTicket(incident.id) });
      await enqueueAppHomeRefresh(tx);
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
