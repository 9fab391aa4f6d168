import { expect } from 'vitest';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import { defaultMapping } from '../../src/config/defaultMapping.js';
import { incidentStatusFromJira } from '../../src/domain/jiraSync.js';
import { allowedTargets, label, type IncidentStatus } from '../../src/domain/statusMachine.js';
import { needsPostMortem } from '../../src/domain/priorities.js';
import { descriptionFromWiki } from '../../src/sync/description.js';
import { JANE, type JiraWithWorkflow, type HumanChange, type JiraWebhook } from './fakeJiraSync.js';
import { settleJobs } from './jobs.js';
import { postJiraWebhook } from './jiraWebhooks.js';
import { syncTasks } from './syncHarness.js';
import type { TestBot } from './testBot.js';
import type { TestDatabase } from './testDatabase.js';
import { submitUpdate, type UpdateForm } from './updatePayloads.js';

/*
 * What the seeded property tests of the sync share: a small random source, random edits on each
 * side (remembering the newest of each field), Jira's webhooks delivered at their worst, and
 * the checks that both sides agree.
 */

/** mulberry32: small, fast, good enough to pick test steps. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof random>;

const WORDS = ['checkout', 'payments', 'search', 'latency', 'errors', 'timeouts', 'orders', 'login', 'cache'];
export const JIRA_STATUSES = ['Incoming', 'Pending resolution', 'in progress', 'Reporter validation'];
const { jira: jiraMapping, catalog } = defaultMapping;

export const phrase = (rng: Random, tag: string) =>
  `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.pick(WORDS)} ${tag}`.replace(/^./, (c) => c.toUpperCase());

export type Field = 'title' | 'description' | 'priority' | 'status';
/** The newest edit of each field, whichever side made it: what both sides must end up showing. */
export type LastEdits = Partial<Record<Field, { side: 'slack' | 'jira'; value: string }>>;

/** The property helpers, bound to one bot, its database and the workflow Jira. */
export function syncWorld(db: TestDatabase, harness: TestBot, jira: JiraWithWorkflow) {
  const settle = () => settleJobs(db.prisma, syncTasks);

  async function slackEdit(
    rng: Random,
    incidentId: number,
    tag: string,
    log: string[],
    last: LastEdits,
  ): Promise<void> {
    const row = await db.prisma.incident.findUniqueOrThrow({
      where: { id: incidentId },
      include: { environments: { include: { environment: true } } },
    });
    const changes: Partial<UpdateForm> = {};
    if (rng.chance(0.5)) changes.title = phrase(rng, `slack ${tag}`);
    if (rng.chance(0.4)) changes.description = `Described in Slack ${tag}: ${phrase(rng, 'details')}`;
    if (rng.chance(0.3)) changes.priority = 1 + rng.int(5);
    if (rng.chance(0.5)) {
      const owed = needsPostMortem(
        changes.priority ?? row.priorityId,
        row.environments.map((link) => link.environment.value),
        catalog.productionEnvironments,
      );
      const targets = allowedTargets(row.status, owed).filter((status) => status !== 'CLOSED');
      changes.status = rng.pick(targets);
      if (row.status === 'MITIGATED' && changes.status !== 'MITIGATED')
        changes.message = 'It came back, reopening.';
    }
    const answer = await submitUpdate(harness, db.prisma, incidentId, changes);
    log.push(
      `slack ${JSON.stringify(changes)} → ${answer.response_action ?? 'none'} at ${new Date().toISOString()}`,
    );
    if (answer.response_action !== 'clear') return; // a stale form: the responder would reopen it
    const before = {
      title: row.title,
      description: row.description,
      priority: String(row.priorityId),
      status: row.status,
    };
    for (const field of ['title', 'description', 'priority', 'status'] as const) {
      const value = changes[field];
      if (value !== undefined && String(value) !== before[field])
        last[field] = { side: 'slack', value: String(value) };
    }
  }

  /**
   * Wait until no sync job is between its read of Jira and its write. Jira has no conditional
   * update, so a person's edit landing inside that window (milliseconds) is overwritten: the one
   * race the sync cannot close (it re-reads just before writing and at every workflow step to keep
   * the window that small). The property is checked outside it.
   */
  async function outsideWriteWindow(): Promise<void> {
    for (let i = 0; i < 5000; i += 1) {
      const [row] = await db.prisma.$queryRaw<{ n: bigint }[]>`
        select count(*) as n from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id
        where j.locked_at is not null and t.identifier in ('sync_jira_ticket', 'apply_jira_delivery')`;
      if (Number(row!.n) === 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error('a sync job stayed busy for seconds');
  }

  function jiraEdit(rng: Random, key: string, tag: string, log: string[], last: LastEdits): void {
    const before = jira.snapshot(key).fields as Record<string, unknown>;
    const change: HumanChange = {};
    if (rng.chance(0.5)) change.summary = phrase(rng, `jira ${tag}`);
    if (rng.chance(0.4)) change.description = `Described in Jira ${tag}: ${phrase(rng, 'notes')}`;
    if (rng.chance(0.3)) change.priority = String(1 + rng.int(5));
    if (rng.chance(0.5)) change.status = rng.pick(JIRA_STATUSES);
    const webhook = jira.humanChange(key, change, JANE);
    log.push(
      `jira ${JSON.stringify(change)} as ${webhook.id} at ${new Date(webhook.body.timestamp as number).toISOString()}`,
    );
    const was = {
      title: before.summary,
      description: before.description,
      priority: (before.customfield_11064 as { value?: string } | null)?.value,
      status: (before.status as { name: string }).name,
    };
    const now = {
      title: change.summary,
      description: change.description,
      priority: change.priority,
      status: change.status,
    };
    for (const field of ['title', 'description', 'priority', 'status'] as const) {
      const value = now[field];
      if (value !== undefined && value !== was[field]) last[field] = { side: 'jira', value };
    }
  }

  /** The newest edit of each field won, on both sides. */
  function expectNewestWins(
    last: LastEdits,
    incident: Awaited<ReturnType<typeof bothSides>>['incident'],
    issue: Record<string, unknown>,
  ) {
    const title = last.title;
    if (title) expect({ title: incident.title }).toEqual({ title: title.value });
    const priority = last.priority;
    if (priority) expect({ priority: String(incident.priorityId) }).toEqual({ priority: priority.value });
    const description = last.description;
    if (description)
      expect({ description: incident.description }).toEqual({ description: description.value });
    const status = last.status;
    if (status?.side === 'slack') expect({ status: incident.status }).toEqual({ status: status.value });
    if (status?.side === 'jira') {
      // The ticket is where the person put it, and the incident says the same thing: the status
      // it maps to, or one that maps there already (Investigating is also "in progress").
      expect({ status: (issue.status as { name: string }).name }).toEqual({ status: status.value });
      const agrees =
        incidentStatusFromJira(status.value, jiraMapping.statusFromJira) === incident.status ||
        jiraMapping.statusToJira[incident.status as IncidentStatus].toLowerCase() ===
          status.value.toLowerCase();
      expect({ status: agrees ? 'agrees' : incident.status }).toEqual({ status: 'agrees' });
    }
  }

  /** Jira's delivery at its worst: a random handful, shuffled, some duplicated, some dropped. */
  async function deliverSome(rng: Random, count: number, log: string[]): Promise<void> {
    const chosen: JiraWebhook[] = [];
    for (let i = 0; i < count && jira.webhooks.length > 0; i += 1) {
      chosen.push(jira.webhooks.splice(rng.int(jira.webhooks.length), 1)[0]!);
    }
    for (const webhook of chosen) {
      if (rng.chance(0.2)) {
        log.push(`drop ${webhook.id}`);
        continue;
      }
      const times = rng.chance(0.25) ? 2 : 1;
      for (let i = 0; i < times; i += 1) {
        const response = await postJiraWebhook(harness.baseUrl, webhook.body, { id: webhook.id });
        expect(response.status).toBeLessThan(300);
      }
      log.push(`deliver ${webhook.id}${times === 2 ? ' twice' : ''}`);
    }
  }

  async function bothSides(incidentId: number, key: string) {
    const incident = await db.prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
    const issue = jira.snapshot(key).fields as Record<string, unknown>;
    return { incident, issue };
  }

  function expectAgreement(
    incident: Awaited<ReturnType<typeof bothSides>>['incident'],
    issue: Record<string, unknown>,
  ) {
    const jiraStatus = (issue.status as { name: string }).name;
    const statusAgrees =
      jiraMapping.statusToJira[incident.status as IncidentStatus].toLowerCase() ===
        jiraStatus.toLowerCase() ||
      incidentStatusFromJira(jiraStatus, jiraMapping.statusFromJira) === incident.status;
    expect({ status: statusAgrees ? 'agree' : `${incident.status} vs ${jiraStatus}` }).toEqual({
      status: 'agree',
    });
    expect(issue.summary).toBe(incident.title);
    expect((issue.customfield_11064 as { value: string }).value).toBe(String(incident.priorityId));
    expect(descriptionFromWiki(issue.description as string)).toBe(incident.description);
  }

  /** The pinned announcement, as last rendered in Slack, shows the incident's title and status. */
  async function expectSlackAgrees(incidentId: number, incident: { title: string; status: string }) {
    const announcement = await db.prisma.slackMessage.findFirstOrThrow({
      where: { incidentId, type: 'announcement' },
    });
    const renders = harness.slack
      .callsTo('chat.update')
      .filter((call) => call.args.channel === announcement.channelId && call.args.ts === announcement.ts);
    const last = renders.at(-1);
    if (!last) return; // not re-rendered since the slack fake was last reset: the initial post stands
    const blocks = String(last.args.blocks);
    expect(blocks).toContain(incident.title);
    expect(blocks).toContain(`*Status*\\n${label(incident.status as IncidentStatus)}`);
  }

  /** The sync journal of an incident since a moment, one line per entry: a failed run's story. */
  async function journalStory(incidentId: number, since: Date): Promise<string> {
    const journal = await db.prisma.syncJournal.findMany({
      where: { incidentId, createdAt: { gte: since } },
      orderBy: { id: 'asc' },
    });
    return journal
      .map(
        (entry) =>
          `  ${entry.createdAt.toISOString()} ${entry.direction} ${entry.field} ${entry.outcome} → ${entry.toValue ?? ''} (${entry.reason ?? ''}) ${entry.deliveryId ?? ''}`,
      )
      .join('\n');
  }

  /** A reconcile pass (what the cron does every interval), settled like any other work. */
  async function reconcile(): Promise<void> {
    await enqueueJob(db.prisma, 'reconcile_jira_sync', {});
    await settle();
  }

  return {
    reconcile,
    journalStory,
    settle,
    slackEdit,
    outsideWriteWindow,
    jiraEdit,
    expectNewestWins,
    deliverSome,
    bothSides,
    expectAgreement,
    expectSlackAgrees,
  };
}
export type SyncWorld = ReturnType<typeof syncWorld>;
