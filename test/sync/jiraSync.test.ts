import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import { BOT_ACCOUNT, JANE, JiraWithWorkflow, KIM } from '../support/fakeJiraSync.js';
import { eventually } from '../support/eventually.js';
import { jobAwaitingRetry, jobsDrained, runDueJobsNow } from '../support/jobs.js';
import { deliver, postJiraWebhook } from '../support/jiraWebhooks.js';
import { declareThroughModal } from '../support/openFlowPayloads.js';
import { postSigned, slashCommandBody } from '../support/slackRequests.js';
import {
  channelPosts,
  closeSyncHarness,
  declareSynced,
  deliverAll,
  openSyncHarness,
  reconcileNow,
  syncTasks,
} from '../support/syncHarness.js';
import type { TestBot } from '../support/testBot.js';
import type { TestDatabase } from '../support/testDatabase.js';
import { submitUpdate } from '../support/updatePayloads.js';

let db: TestDatabase;
let harness: TestBot;
const jira = new JiraWithWorkflow();

beforeAll(async () => {
  ({ db, harness } = await openSyncHarness(jira));
});
afterAll(() => closeSyncHarness(db, harness, jira));
beforeEach(async () => {
  await jobsDrained(db.prisma, syncTasks);
  jira.reset();
  harness.slack.reset();
});

const update = async (incidentId: number, changes: Parameters<typeof submitUpdate>[3]) => {
  const answer = await submitUpdate(harness, db.prisma, incidentId, changes);
  expect(answer).toEqual({ httpStatus: 200, response_action: 'clear' });
  await jobsDrained(db.prisma, syncTasks);
};
const incidentRow = (id: number) => db.prisma.incident.findUniqueOrThrow({ where: { id } });
const channelOf = async (incidentId: number) =>
  (await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId } })).channelId;
const transitions = () =>
  jira
    .requestsTo('POST', /\/transitions$/)
    .map((request) => (request.body as { transition: { id: string } }).transition.id);
const jiraUpdates = (incidentId: number) =>
  db.prisma.incidentUpdate.findMany({ where: { incidentId, source: 'JIRA' }, orderBy: { id: 'asc' } });

describe('incident → Jira', () => {
  it('a new ticket gets the commander as assignee, then each Slack edit moves the ticket: fields in one edit, status along the workflow', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC1', 2, { customers_impact: 'HI' });
    // The first sync after creation: the reporter is commander, and has a Jira account.
    expect(jira.snapshot(ticket.key).fields.assignee).toMatchObject({
      accountId: '5c0000000000000000000001',
    });
    await deliverAll(harness, db, jira);
    jira.reset();

    await update(incident.id, {
      status: 'INVESTIGATING',
      title: 'Checkout is down for everyone',
      priority: 1,
    });
    // Incoming → Pending resolution → in progress: the path passes the intermediate status.
    expect(jira.status(ticket.key)).toBe('in progress');
    expect(transitions()).toHaveLength(2);
    const edits = jira.requestsTo('PUT', new RegExp(`/issue/${ticket.key}$`));
    expect(edits).toHaveLength(1);
    expect(edits[0]!.body).toEqual({
      fields: { summary: 'Checkout is down for everyone', customfield_11064: { value: '1' } },
    });

    // Jira's webhooks for those writes come back: the bot's own, applied to nothing.
    const writes = jira.writes;
    await deliverAll(harness, db, jira);
    expect(jira.writes).toBe(writes);
    expect(await jiraUpdates(incident.id)).toEqual([]);
    const deliveries = await db.prisma.webhookDelivery.findMany({ where: { incidentId: incident.id } });
    expect(deliveries.length).toBeGreaterThanOrEqual(3);
    expect(deliveries.every((row) => row.state === 'IGNORED' && row.outcome === "the bot's own change")).toBe(
      true,
    );
    // The marks left by the writes were consumed by their echoes.
    expect(await db.prisma.syncMark.count({ where: { incidentId: incident.id, consumedAt: null } })).toBe(0);
    const journal = await db.prisma.syncJournal.findMany({
      where: { incidentId: incident.id, direction: 'OUTBOUND' },
    });
    expect(journal.map((entry) => `${entry.field}:${entry.outcome}`).sort()).toEqual(
      expect.arrayContaining(['priority:applied', 'status:applied', 'title:applied']),
    );
  });

  it('ten quick edits are one sync: at most one write per field, with the latest values', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNCBURST', 3, {
      customers_impact: 'LO',
    });
    jira.reset();
    // A sync already waiting (as after the first edit of a burst, EFFECTS_DEBOUNCE_MS): later
    // edits keep its time and its single run pushes the last state.
    await enqueueJob(
      db.prisma,
      'sync_jira_ticket',
      { incidentId: incident.id, reason: 'change' },
      {
        jobKey: `incident:${incident.id}:jira-sync`,
        queueName: `incident:${incident.id}:jira`,
        runAt: new Date(Date.now() + 3600_000),
      },
    );
    for (let i = 1; i <= 5; i += 1) {
      const answer = await submitUpdate(harness, db.prisma, incident.id, {
        title: `Edit number ${i} of the title`,
      });
      expect(answer.response_action).toBe('clear');
    }
    await db.prisma
      .$executeRaw`update graphile_worker._private_jobs set run_at = now() where key = ${`incident:${incident.id}:jira-sync`}`;
    await db.prisma.$executeRaw`select pg_notify('jobs:insert', '{}')`;
    await jobsDrained(db.prisma, syncTasks);
    const edits = jira.requestsTo('PUT', new RegExp(`/issue/${ticket.key}$`));
    expect(edits).toHaveLength(1);
    expect(edits[0]!.body).toEqual({ fields: { summary: 'Edit number 5 of the title' } });
  });
});

describe('Jira → incident', () => {
  it('a status change from Jira reaches the incident, said in the channel "from Jira by Jane Human", once even when delivered twice', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC2', 2, { customers_impact: 'HI' });
    const channel = await channelOf(incident.id);
    const writesBefore = jira.writes;
    const webhook = jira.humanChange(ticket.key, { status: 'in progress' });
    const first = await deliver(harness.baseUrl, webhook);
    expect(first.status).toBe(202);
    const again = await deliver(harness.baseUrl, webhook);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, delivery: 'duplicate' });
    await jobsDrained(db.prisma, syncTasks);

    expect((await incidentRow(incident.id)).status).toBe('MITIGATING');
    const rows = await jiraUpdates(incident.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ field: 'status', toValue: 'Mitigating', externalActor: 'Jane Human' });
    const said = channelPosts(harness, channel, 'from Jira by Jane Human');
    expect(said).toHaveLength(1);
    expect(String(said[0]!.args.text)).toContain('*Status:* Open → Mitigating');
    // Nothing went back to Jira: the incident now says what Jira says.
    expect(jira.writes).toBe(writesBefore);
    const journal = await db.prisma.syncJournal.findMany({
      where: { incidentId: incident.id, direction: 'INBOUND' },
    });
    expect(journal).toEqual([
      expect.objectContaining({
        field: 'status',
        outcome: 'applied',
        actor: 'Jane Human',
        deliveryId: webhook.id,
      }),
    ]);
  });

  it('reordered deliveries end in Jira latest state; the older one is dropped as stale', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC3', 3, { customers_impact: 'LO' });
    const older = jira.humanChange(ticket.key, { summary: 'First rename from Jira' });
    const newer = jira.humanChange(ticket.key, { summary: 'Second rename from Jira' });
    await deliver(harness.baseUrl, newer);
    await jobsDrained(db.prisma, syncTasks);
    await deliver(harness.baseUrl, older);
    await jobsDrained(db.prisma, syncTasks);
    expect((await incidentRow(incident.id)).title).toBe('Second rename from Jira');
    const olderRow = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { deliveryId: older.id } });
    expect(olderRow).toMatchObject({
      state: 'IGNORED',
      outcome: 'stale: older than a change already applied',
    });
    expect(await jiraUpdates(incident.id)).toHaveLength(1);
  });

  it('priority is matched on the field id: a Story Points change to "2" changes nothing, the priority field does', async () => {
    const { incident, ticket } = await declareSynced(
      harness,
      db,
      'V0SYNC4',
      4,
      { customers_impact: 'LO' },
      { featureTeam: 'Payments' },
    );
    await deliver(
      harness.baseUrl,
      jira.humanChange(ticket.key, {
        other: { fieldId: 'customfield_10016', field: 'Story Points', value: '2' },
      }),
    );
    await jobsDrained(db.prisma, syncTasks);
    expect((await incidentRow(incident.id)).priorityId).toBe(4);
    await deliver(harness.baseUrl, jira.humanChange(ticket.key, { priority: '3' }));
    await jobsDrained(db.prisma, syncTasks);
    expect((await incidentRow(incident.id)).priorityId).toBe(3);
    // P4 → P3 from Jira is an escalation: the incident gets its channel, as from Slack.
    await jobsDrained(db.prisma, syncTasks);
    expect(await db.prisma.slackChannel.findUnique({ where: { incidentId: incident.id } })).not.toBeNull();
  });

  it('CLOSED in Jira while the incident may not close: not applied, and the channel gets the reference words with the reasons', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC5', 1, { customers_impact: 'HT' });
    const channel = await channelOf(incident.id);
    await deliver(harness.baseUrl, jira.humanChange(ticket.key, { status: 'in progress' }));
    await jobsDrained(db.prisma, syncTasks);
    await deliver(harness.baseUrl, jira.humanChange(ticket.key, { status: 'Closed' }));
    await jobsDrained(db.prisma, syncTasks);
    expect((await incidentRow(incident.id)).status).toBe('MITIGATING');
    const said = channelPosts(
      harness,
      channel,
      'was closed, but the incident was *not* automatically closed',
    );
    expect(said).toHaveLength(1);
    expect(String(said[0]!.args.text)).toContain(ticket.key);
    const refused = await db.prisma.syncJournal.findFirstOrThrow({
      where: { incidentId: incident.id, field: 'status', outcome: 'refused' },
    });
    expect(refused.toValue).toBe('Closed');
    // The refusal is remembered: a reconcile pass does not retry it, nor say it again.
    harness.slack.reset();
    await reconcileNow(db);
    expect((await incidentRow(incident.id)).status).toBe('MITIGATING');
    expect(channelPosts(harness, channel, 'automatically closed')).toHaveLength(0);
    expect(jira.status(ticket.key)).toBe('Closed');
  });

  it('the bot own echo is skipped even without a mark (changes authored by its Jira account)', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC6', 3, { customers_impact: 'LO' });
    await deliver(
      harness.baseUrl,
      jira.humanChange(ticket.key, { summary: 'Renamed by the bot account' }, BOT_ACCOUNT),
    );
    await jobsDrained(db.prisma, syncTasks);
    expect((await incidentRow(incident.id)).title).not.toBe('Renamed by the bot account');
  });

  it('assignee → commander through the Slack user with the same email; unassigning is refused', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC7', 2, { customers_impact: 'HI' });
    await deliver(harness.baseUrl, jira.humanChange(ticket.key, { assignee: JANE.accountId }));
    await jobsDrained(db.prisma, syncTasks);
    const commander = await db.prisma.role.findFirstOrThrow({
      where: { incidentId: incident.id, roleType: { slug: 'commander' } },
      include: { user: true },
    });
    expect(commander.user.slackUserId).toBe('U0JANE');
    await deliver(harness.baseUrl, jira.humanChange(ticket.key, { assignee: null }));
    await jobsDrained(db.prisma, syncTasks);
    const still = await db.prisma.role.findFirstOrThrow({
      where: { incidentId: incident.id, roleType: { slug: 'commander' } },
      include: { user: true },
    });
    expect(still.user.slackUserId).toBe('U0JANE');
  });

  it('comments reach the channel (P1–P3) or the reporter (P4–P5); the bot own comments do not', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC8', 2, { customers_impact: 'HI' });
    const channel = await channelOf(incident.id);
    await deliver(harness.baseUrl, jira.comment(ticket.key, 'created', 'Root cause found <!channel> *bold*'));
    await deliver(harness.baseUrl, jira.comment(ticket.key, 'created', 'Automated note', BOT_ACCOUNT));
    await jobsDrained(db.prisma, syncTasks);
    const posted = channelPosts(harness, channel, 'New comment');
    expect(posted).toHaveLength(1);
    expect(String(posted[0]!.args.text)).toContain('by Jane Human');
    expect(String(posted[0]!.args.text)).toContain('&lt;!channel&gt;');
    expect(channelPosts(harness, channel, 'Automated note')).toHaveLength(0);

    const low = await declareSynced(
      harness,
      db,
      'V0SYNC8B',
      5,
      { customers_impact: 'LO' },
      { featureTeam: 'Payments' },
    );
    await deliver(harness.baseUrl, jira.comment(low.ticket.key, 'updated', 'Edited text'));
    await jobsDrained(db.prisma, syncTasks);
    const dm = harness.slack
      .callsTo('chat.postMessage')
      .filter((call) => String(call.args.text).includes('Updated comment'));
    expect(dm).toHaveLength(1);
    expect(dm[0]!.args.channel).toBe('U0REPORTER');
  });

  it('a deleted ticket: the incident keeps running, the channel is told, and saving /incident update creates a new ticket', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC9', 2, { customers_impact: 'HI' });
    const channel = await channelOf(incident.id);
    await deliver(harness.baseUrl, jira.deleteIssue(ticket.key));
    await jobsDrained(db.prisma, syncTasks);
    expect(
      (await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } })).deletedAt,
    ).not.toBeNull();
    expect(channelPosts(harness, channel, 'was deleted in Jira')).toHaveLength(1);
    expect((await incidentRow(incident.id)).status).toBe('OPEN');

    await update(incident.id, { status: 'INVESTIGATING' });
    // The replacement is started after the modal's answer: wait for the new ticket, then its sync.
    const replaced = await eventually(
      () => db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } }),
      (row) => row.deletedAt === null && row.key !== ticket.key,
    );
    await jobsDrained(db.prisma, syncTasks);
    expect(jira.status(replaced.key)).toBe('in progress');
  });
});

describe('the journal and the delivery log', () => {
  it('/incident sync in the channel shows the latest sync entries, newest first, with who and why', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC15', 2, { customers_impact: 'HI' });
    const channel = await channelOf(incident.id);
    await update(incident.id, { title: 'Renamed in Slack before the journal' });
    await deliver(harness.baseUrl, jira.humanChange(ticket.key, { summary: 'Renamed in Jira after that' }));
    await jobsDrained(db.prisma, syncTasks);
    const response = await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'sync', channel_id: channel }),
    );
    const answer = (await response.json()) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain(`Jira sync of incident #${incident.id}`);
    expect(answer.text).toContain(ticket.key);
    const lines = answer.text.split('\n').slice(1);
    expect(lines[0]).toContain('Jira → Slack *title*');
    expect(lines[0]).toContain('by Jane Human');
    expect(lines.some((line) => line.includes('Slack → Jira *title*') && line.includes('applied'))).toBe(
      true,
    );
  });

  it('deliveries are kept with their outcome, then pruned after the retention period', async () => {
    await postJiraWebhook(
      harness.baseUrl,
      { webhookEvent: 'jira:issue_updated', issue: { id: '999999' } },
      { id: 'old-one' },
    );
    await db.prisma.webhookDelivery.updateMany({
      where: { deliveryId: 'old-one' },
      data: { receivedAt: new Date(Date.now() - 31 * 24 * 3600_000) },
    });
    await postJiraWebhook(
      harness.baseUrl,
      { webhookEvent: 'jira:issue_updated', issue: { id: '999998' } },
      { id: 'new-one' },
    );
    await enqueueJob(db.prisma, 'prune_sync_records', {});
    await jobsDrained(db.prisma, ['prune_sync_records']);
    expect(await db.prisma.webhookDelivery.count({ where: { deliveryId: 'old-one' } })).toBe(0);
    expect(await db.prisma.webhookDelivery.count({ where: { deliveryId: 'new-one' } })).toBe(1);
  });
});

describe('lost answers and outages', () => {
  it('a transition whose answer was lost: the retry knows the step as its own (sync mark) and goes on; the incident is never pulled back', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC12', 2, { customers_impact: 'HI' });
    await deliverAll(harness, db, jira);
    jira.reset();
    jira.loseAnswers('transition', 1);
    const answer = await submitUpdate(harness, db.prisma, incident.id, { status: 'INVESTIGATING' });
    expect(answer.response_action).toBe('clear');
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-sync`);
    // The step was taken in Jira; its answer never came.
    expect(jira.status(ticket.key)).toBe('Pending resolution');
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, syncTasks);
    expect(jira.status(ticket.key)).toBe('in progress');
    expect(transitions()).toHaveLength(2);
    expect((await incidentRow(incident.id)).status).toBe('INVESTIGATING');
    await deliverAll(harness, db, jira);
    expect((await incidentRow(incident.id)).status).toBe('INVESTIGATING');
    expect(await jiraUpdates(incident.id)).toEqual([]);
  });

  it('an edit whose answer was lost is not sent twice', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC13', 3, { customers_impact: 'LO' });
    jira.reset();
    jira.loseAnswers('edit', 1);
    await submitUpdate(harness, db.prisma, incident.id, { title: 'Renamed with a lost answer' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-sync`);
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, syncTasks);
    expect(jira.requestsTo('PUT', new RegExp(`/issue/${ticket.key}$`))).toHaveLength(1);
    expect(jira.snapshot(ticket.key).fields.summary).toBe('Renamed with a lost answer');
  });

  it('Jira down when pushing: the job retries and the channel says so, once; the change lands when Jira is back', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC14', 2, { customers_impact: 'HI' });
    const channel = await channelOf(incident.id);
    jira.reset();
    jira.fail('read', { status: 503, body: { errorMessages: ['maintenance'] } });
    await submitUpdate(harness, db.prisma, incident.id, { title: 'Renamed while Jira is down' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-sync`);
    await jobsDrained(db.prisma, ['post_sync_notice']);
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, syncTasks);
    expect(channelPosts(harness, channel, 'Jira did not answer')).toHaveLength(1);
    expect(jira.snapshot(ticket.key).fields.summary).toBe('Renamed while Jira is down');
  });
});

describe('review findings (each failed before its fix)', () => {
  it('a mark left by a write whose echo was dropped never makes a later real Jira change look like ours', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC20', 3, { customers_impact: 'LO' });
    await deliverAll(harness, db, jira);
    await update(incident.id, { priority: 2 });
    jira.webhooks.length = 0; // the echo of P2 is dropped
    await update(incident.id, { priority: 3 });
    await deliverAll(harness, db, jira); // the echo of P3 arrives
    await deliver(harness.baseUrl, jira.humanChange(ticket.key, { priority: '2' }));
    await jobsDrained(db.prisma, syncTasks);
    expect((await incidentRow(incident.id)).priorityId).toBe(2);
    expect((jira.snapshot(ticket.key).fields.customfield_11064 as { value: string }).value).toBe('2');
  });

  it('a lost transition answer whose echo arrives before the retry: the incident keeps its status', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC21', 2, { customers_impact: 'HI' });
    await deliverAll(harness, db, jira);
    jira.loseAnswers('transition', 1);
    await submitUpdate(harness, db.prisma, incident.id, { status: 'INVESTIGATING' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-sync`);
    // Jira's webhook for the step that landed comes at once, before the retry.
    for (const webhook of jira.webhooks.splice(0)) await deliver(harness.baseUrl, webhook);
    await jobsDrained(db.prisma, ['apply_jira_delivery']);
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, syncTasks);
    expect((await incidentRow(incident.id)).status).toBe('INVESTIGATING');
    expect(jira.status(ticket.key)).toBe('in progress');
    await deliverAll(harness, db, jira);
    expect((await incidentRow(incident.id)).status).toBe('INVESTIGATING');
  });

  it('a conflict is settled by when each side changed THAT field, not by the issue touched since', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC22', 3, { customers_impact: 'LO' });
    await deliverAll(harness, db, jira);
    jira.humanChange(ticket.key, { summary: 'Older rename made in Jira' });
    jira.webhooks.length = 0; // its webhook is late (lost here)
    jira.fail('read', { status: 503, body: {} });
    await submitUpdate(harness, db.prisma, incident.id, { title: 'Newer rename made in Slack' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-sync`);
    jira.humanChange(ticket.key, {
      other: { fieldId: 'customfield_10016', field: 'Story Points', value: '5' },
    });
    jira.webhooks.length = 0;
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, syncTasks);
    expect((await incidentRow(incident.id)).title).toBe('Newer rename made in Slack');
    expect(jira.snapshot(ticket.key).fields.summary).toBe('Newer rename made in Slack');
  });

  it('a Slack edit saved while a Jira delivery is being applied is never overwritten by the older Jira value', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC26', 2, { customers_impact: 'HI' });
    await deliverAll(harness, db, jira);
    const webhook = jira.humanChange(ticket.key, {
      summary: 'Older title typed in Jira',
      assignee: KIM.accountId,
    });
    // While the bot looks Kim up (a Jira call, then Slack's), a responder saves a newer title.
    let slackAnswer: string | undefined;
    jira.beforeUserAnswer = async () => {
      slackAnswer = (
        await submitUpdate(harness, db.prisma, incident.id, { title: 'Newer title typed in Slack' })
      ).response_action;
    };
    await deliver(harness.baseUrl, webhook);
    await jobsDrained(db.prisma, syncTasks);
    expect(slackAnswer).toBe('clear');
    expect((await incidentRow(incident.id)).title).toBe('Newer title typed in Slack');
    expect(jira.snapshot(ticket.key).fields.summary).toBe('Newer title typed in Slack');
    const commander = await db.prisma.role.findFirstOrThrow({
      where: { incidentId: incident.id, roleType: { slug: 'commander' } },
      include: { user: true },
    });
    expect(commander.user.slackUserId).toBe('U0KIM');
  });

  it('a Jira edit landing between the bot reading the issue and reading its history is neither lost nor beaten by the older value', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC30', 3, { customers_impact: 'LO' });
    await deliverAll(harness, db, jira);
    await deliver(
      harness.baseUrl,
      jira.humanChange(ticket.key, { description: 'Oldest words, typed in Jira' }),
    );
    await jobsDrained(db.prisma, syncTasks);
    expect((await incidentRow(incident.id)).description).toBe('Oldest words, typed in Jira');
    await deliverAll(harness, db, jira);

    // The sync of a Slack edit reads the issue, then its history to see which side is newer; in
    // between, a person saves newer words in Jira (their webhook is late).
    jira.beforeChangelogAnswer = async () => {
      jira.humanChange(ticket.key, { description: 'Newest words, typed in Jira' });
      jira.webhooks.length = 0;
    };
    await update(incident.id, { description: 'Middle words, typed in Slack' });
    expect(jira.beforeChangelogAnswer).toBeUndefined(); // the history was read
    expect((await incidentRow(incident.id)).description).toBe('Newest words, typed in Jira');
    expect(jira.snapshot(ticket.key).fields.description).toContain('Newest words, typed in Jira');
  });

  it("a rename made in Jira before the bot's first sync of the new ticket is kept, even with its webhook late", async () => {
    jira.fail('read', { status: 503, body: {} }); // the first sync waits for Jira a moment
    const incident = await declareThroughModal(harness, db.prisma, 'V0SYNC31', 3, { customers_impact: 'LO' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:jira-sync`);
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    jira.humanChange(ticket.key, { summary: 'Renamed in Jira right after it was made' });
    jira.webhooks.length = 0; // its webhook is late
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, syncTasks);
    expect(jira.snapshot(ticket.key).fields.summary).toBe('Renamed in Jira right after it was made');
    expect((await incidentRow(incident.id)).title).toBe('Renamed in Jira right after it was made');
  });

  it('Jira refusing the sync for good (expired token): journalled and said in the channel once', async () => {
    const { incident } = await declareSynced(harness, db, 'V0SYNC27', 2, { customers_impact: 'HI' });
    const channel = await channelOf(incident.id);
    jira.fail('read', {
      status: 401,
      body: { message: 'Client must be authenticated to access this resource.', 'status-code': 401 },
    });
    await update(incident.id, { title: 'Renamed while the token expired' });
    expect(channelPosts(harness, channel, 'could not be kept in sync')).toHaveLength(1);
    const failed = await db.prisma.syncJournal.findFirstOrThrow({
      where: { incidentId: incident.id, outcome: 'failed' },
    });
    expect(failed.reason).toMatch(/^JIRA_AUTH_FAILED/);
  });

  it('Jira refusing one field by id (not on the edit screen) does not block the others', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC23', 3, { customers_impact: 'LO' });
    const channel = await channelOf(incident.id);
    jira.fail('edit', {
      status: 400,
      body: {
        errorMessages: [],
        errors: {
          customfield_11064:
            "Field 'customfield_11064' cannot be set. It is not on the appropriate screen, or unknown.",
        },
      },
    });
    await update(incident.id, { title: 'Renamed with a priority Jira refuses', priority: 2 });
    expect(jira.snapshot(ticket.key).fields.summary).toBe('Renamed with a priority Jira refuses');
    const failed = await db.prisma.syncJournal.findMany({
      where: { incidentId: incident.id, outcome: 'failed' },
    });
    expect(failed.map((entry) => entry.field)).toEqual(['priority']);
    expect(channelPosts(harness, channel, 'Could not update the priority')).toHaveLength(1);
  });

  it('a ticket Jira answers 404 for while its project is unreadable too is not taken as deleted (a permission change)', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC24', 2, { customers_impact: 'HI' });
    const channel = await channelOf(incident.id);
    const project = jira.projects.INC!;
    jira.failAlways('read', {
      status: 404,
      body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
    });
    delete jira.projects.INC;
    try {
      await reconcileNow(db);
      expect(
        (await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } })).deletedAt,
      ).toBeNull();
      expect(channelPosts(harness, channel, 'can no longer read Jira ticket')).toHaveLength(1);
    } finally {
      jira.projects.INC = project;
      jira.reset();
    }
    await reconcileNow(db);
    expect(
      (await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } })).deletedAt,
    ).toBeNull();
    expect(ticket.key).toBeTruthy();
  });

  it('a long comment full of markup is cut to what a Slack section holds, after escaping', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC25', 2, { customers_impact: 'HI' });
    const channel = await channelOf(incident.id);
    const trace = Array.from({ length: 120 }, (_, i) => `at <init> & Foo.bar(Foo.java:${i}) <!channel>`).join(
      '\n',
    );
    await deliver(harness.baseUrl, jira.comment(ticket.key, 'created', trace));
    await jobsDrained(db.prisma, syncTasks);
    const [posted] = channelPosts(harness, channel, 'New comment');
    const blocks = JSON.parse(String(posted!.args.blocks)) as { text: { text: string } }[];
    expect(blocks[0]!.text.text.length).toBeLessThanOrEqual(3000);
    expect(blocks[0]!.text.text).toContain('&lt;init&gt; &amp; Foo.bar');
  });
});

describe('self-healing', () => {
  it('the reconcile repairs a drift whose webhook was lost, and journals it', async () => {
    const { incident, ticket } = await declareSynced(harness, db, 'V0SYNC10', 3, { customers_impact: 'LO' });
    const writesBefore = jira.writes;
    jira.humanChange(ticket.key, {
      summary: 'Renamed while the webhook was lost',
      status: 'Pending resolution',
    });
    jira.webhooks.length = 0; // dropped
    await reconcileNow(db);
    expect((await incidentRow(incident.id)).title).toBe('Renamed while the webhook was lost');
    const repaired = await db.prisma.syncJournal.findMany({
      where: { incidentId: incident.id, reason: 'drift repaired by the reconcile' },
    });
    expect(repaired.map((entry) => entry.field)).toEqual(['title']);
    // Pending resolution means OPEN, which the incident already is: in step, nothing written.
    expect(jira.writes).toBe(writesBefore);
  });

  it('Jira down: the reconcile asks once and backs off instead of hammering', async () => {
    await declareSynced(harness, db, 'V0SYNC11', 3, { customers_impact: 'LO' });
    jira.reset();
    jira.failAlways('myself', { status: 503, body: { errorMessages: ['down'] } });
    await reconcileNow(db);
    await reconcileNow(db);
    expect(jira.requestsTo('GET', '/myself')).toHaveLength(1);
    expect(jira.requestsTo('GET', '/rest/api/2/issue/')).toHaveLength(0);
    const installation = await db.prisma.installation.findUniqueOrThrow({ where: { id: 1 } });
    expect(installation.reconcileFailures).toBe(1);
    expect(installation.reconcilePausedUntil!.getTime()).toBeGreaterThan(Date.now());
    await db.prisma.installation.update({ where: { id: 1 }, data: { reconcilePausedUntil: new Date(0) } });
    jira.reset();
    await reconcileNow(db);
    expect((await db.prisma.installation.findUniqueOrThrow({ where: { id: 1 } })).reconcileFailures).toBe(0);
  });
});
