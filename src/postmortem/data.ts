import { loadIncidentCard, type IncidentCard } from '../db/repositories/incidentCard.js';
import type { AppDeps } from '../deps.js';
import type { KeyEventType } from '../domain/keyEvents.js';
import { label, type IncidentStatus } from '../domain/statusMachine.js';
import { AppError } from '../errors.js';
import type { PostMortemData } from './templates.js';

/** `2026-11-30 10:05 UTC`: the reference's timeline format. */
const utcMinute = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const keyEventName = (type: KeyEventType) => type.charAt(0) + type.slice(1).toLowerCase();

/**
 * What the post-mortem templates are rendered from: the incident card, its impacts, a timeline
 * (creation, every status change, every key event with its message, oldest first) and the
 * status updates people wrote.
 */
export async function loadPostMortemData(
  deps: AppDeps,
  incidentId: number,
): Promise<{ data: PostMortemData; card: IncidentCard }> {
  const card = await loadIncidentCard(deps.prisma, incidentId, deps.config.mapping);
  if (!card) throw new AppError('INCIDENT_NOT_FOUND', `incident #${incidentId} does not exist`);
  const [impacts, updates, keyEvents, commander] = await Promise.all([
    deps.prisma.impact.findMany({
      where: { incidentId },
      include: { impactType: true, impactLevel: true },
      orderBy: { impactType: { order: 'asc' } },
    }),
    deps.prisma.incidentUpdate.findMany({
      where: { incidentId },
      include: { author: true },
      orderBy: [{ eventTs: 'asc' }, { id: 'asc' }],
    }),
    deps.prisma.keyEvent.findMany({ where: { incidentId }, orderBy: { occurredAt: 'asc' } }),
    card.commanderSlackId
      ? deps.prisma.user.findUnique({ where: { slackUserId: card.commanderSlackId } })
      : Promise.resolve(null),
  ]);
  const timeline: { at: Date; event: string }[] = [
    // The priority it was declared with: a later change is its own row, not a rewrite of this one.
    {
      at: card.createdAt,
      event: `Incident created (${updates.find((row) => row.field === 'priority')?.fromValue ?? card.priority.name})`,
    },
    ...updates
      .filter((row) => row.field === 'status' && row.status)
      .map((row) => ({
        at: row.eventTs,
        event: `Status changed to: ${label(row.status as IncidentStatus)}`,
      })),
    ...keyEvents
      .filter((event) => event.type !== 'DECLARED')
      .map((event) => ({
        at: event.occurredAt,
        event: `Key event: ${keyEventName(event.type)}${event.message ? ` - ${event.message}` : ''}`,
      })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const written = updates.filter((row) => row.message && row.source !== 'SYSTEM');
  return {
    card,
    data: {
      incident: {
        id: card.id,
        title: card.title,
        description: card.description,
        url: card.incidentUrl,
        priority: card.priority,
        category: card.category.name,
        environments: card.environments,
        commander: commander?.name ?? card.commanderSlackId,
      },
      impacts: impacts.map((impact) => ({ type: impact.impactType.name, level: impact.impactLevel.name })),
      timeline: timeline.map((row) => ({ at: utcMinute(row.at), event: row.event })),
      updates: written.map((row) => ({
        at: utcMinute(row.eventTs),
        status: row.status ? label(row.status as IncidentStatus) : 'Update',
        message: row.message!,
        author: row.author?.name ?? row.externalActor ?? null,
      })),
    },
  };
}
