import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import { JiraWithWorkflow } from '../support/fakeJiraSync.js';
import { jobAwaitingRetry, jobsDrained, pendingJobs, runDueJobsNow } from '../support/jobs.js';
import { eventually } from '../support/eventually.js';
import { deliver } from '../support/jiraWebhooks.js';
import {
  channelPosts,
  closeSyncHarness,
  declareSynced,
  deliverAll,
  openSyncHarness,
  syncTasks,
} from '../support/syncHarness.js';
import type { TestBot } from '../support/testBot.js';
import type { TestDatabase } from '../support/testDatabase.js';
import { keyEventsSubmission, submitUpdate } from '../support/updatePayloads.js';
import { interactiveBody, postSigned, slashCommandBody } from '../support/slackRequests.js';
import { messageBlockAction, reporter } from '../support/openFlowPayloads.js';
import { STATUS_CHANGE_REFUSED } from '../../src/slack/permissions.js';

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
  jira.linkTypes.splice(0, jira.linkTypes.length, 'Blocks', 'Cloners', 'Relates');
  harness.slack.reset();
});

/** Walk a P1 in production to Mitigated, as responders do. */
async function mitigate(viewId: string, beforeMitigated: () => void = () => undefined) {
  const { incident, ticket } = await declareSynced(harness, db, viewId, 1, { customers_impact: 'HT' });
  for (const status of ['INVESTIGATING', 'MITIGATING', 'MITIGATED']) {
    if (status === 'MITIGATED') beforeMitigated();
    const answer = await submitUpdate(harness, db.prisma, incident.id, {
      status,
      ...(status === 'MITIGATING' ? { message: 'Rolled back the {release} | v2 *now*' } : {}),
    });
    expect(answer.response_action).toBe('clear');
    await jobsDrained(db.prisma, syncTasks);
  }
  await deliverAll(harness, db, jira);
  const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
  return { incident, ticket, channel };
}

/** A P1 in production, one step before Mitigated (the step that asks for its post-mortem). */
async function mitigatingP1(viewId: string) {
  const { incident } = await declareSynced(harness, db, viewId, 1, { customers_impact: 'HT' });
  for (const status of ['INVESTIGATING', 'MITIGATING']) {
    await submitUpdate(harness, db.prisma, incident.id, { status });
    await jobsDrained(db.prisma, syncTasks);
  }
  const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
  return { incident, channel };
}

const postMortemCreates = () =>
  jira
    .requestsTo('POST', /^\/rest\/api\/2\/issue$/)
    .filter(
      (request) =>
        (request.body as { fields: { issuetype: { name: string } } }).fields.issuetype.name === 'Post-mortem',
    );

/** `/incident postmortem` typed in a channel; the answer comes with the acknowledgement. */
const ask = async (channelId: string) => {
  const response = await postSigned(
    harness.baseUrl,
    slashCommandBody({ text: 'postmortem', channel_id: channelId }),
  );
  return (await response.json()) as { text: string; blocks?: unknown[] };
};

/** A click on "Create anyway" in a message of `channelId`; the answer goes to `responsePath`. */
const createAnywayClick = (channelId: string, responsePath: string, incidentId: number) =>
  messageBlockAction(channelId, `${harness.slack.url}/${responsePath}`, {
    type: 'button',
    action_id: 'postmortem_create_anyway',
    block_id: 'b',
    value: String(incidentId),
  });

/** Post-mortems Jira holds for this incident (found by their marker label, as the bot searches). */
const postMortemsInJira = (incidentId: number) =>
  jira.issues.filter((issue) => issue.labels.some((label) => label.endsWith(`-pm-${incidentId}`)));

describe('mitigating a P1 in production', () => {
  it('creates one post-mortem: rendered sections, summary, due date, linked, assigned, pinned, bookmarked, in the announcement', async () => {
    const { incident, ticket, channel } = await mitigate('V0PM1');
    const row = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const [create] = postMortemCreates();
    expect(postMortemCreates()).toHaveLength(1);
    const fields = (create!.body as { fields: Record<string, unknown> }).fields;
    expect(fields.project).toEqual({ key: 'INC' });
    const { title } = await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(fields.summary).toBe(`#${channel.name} (P1) ${title}`);
    expect(fields.duedate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(String(fields.customfield_12699)).toContain('h2. Incident Summary');
    expect(String(fields.customfield_12700)).toMatch(/\| .* UTC \| Status changed to: Mitigated \|/);
    expect(String(fields.customfield_12703)).toContain('Rolled back the \\{release\\} \\| v2 \\*now\\*');
    expect(String(fields.customfield_12701)).toContain('h2. Root Causes');
    // The ticket's mapped fields come along (environments, priority option).
    expect(fields.customfield_11049).toEqual([{ value: 'PRD' }]);
    // Linked ("Relates" first), assigned to the commander.
    expect(jira.links).toEqual([{ type: 'Relates', outward: row.key, inward: ticket.key }]);
    expect(jira.snapshot(row.key).fields.assignee).toMatchObject({ accountId: '5c0000000000000000000001' });
    // Slack: pinned message, bookmark, announcement with the link.
    const [posted] = channelPosts(harness, channel.channelId, 'The post-mortem has been created');
    expect(posted).toBeDefined();
    expect(harness.slack.callsTo('pins.add').some((call) => call.args.channel === channel.channelId)).toBe(
      true,
    );
    expect(harness.slack.bookmarks.get(channel.channelId)?.map((bookmark) => bookmark.title)).toContain(
      `Postmortem (${row.key})`,
    );
    const announcement = harness.slack.callsTo('chat.update').at(-1);
    expect(String(announcement!.args.blocks)).toContain(`Post-mortem ${row.key}`);
  });

  it('when "Relates" is missing the next configured link type is used; a failed assignment is a warning in the channel', async () => {
    jira.linkTypes.splice(0, jira.linkTypes.length, 'Blocks');
    jira.failAlways('assign', {
      status: 400,
      body: { errorMessages: ['User cannot be assigned issues.'], errors: {} },
    });
    const { incident, ticket, channel } = await mitigate('V0PM2');
    const row = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(jira.links).toEqual([{ type: 'Blocks', outward: row.key, inward: ticket.key }]);
    expect(channelPosts(harness, channel.channelId, 'could not be assigned')).toHaveLength(1);
    expect(channelPosts(harness, channel.channelId, 'The post-mortem has been created')).toHaveLength(1);
  });

  it('exactly one, even when the create answer is lost (the retry finds it by its marker)', async () => {
    const { incident } = await declareSynced(harness, db, 'V0PM3', 1, { customers_impact: 'HT' });
    for (const status of ['INVESTIGATING', 'MITIGATING']) {
      await submitUpdate(harness, db.prisma, incident.id, { status });
      await jobsDrained(db.prisma, syncTasks);
    }
    jira.loseCreateAnswers(1);
    await submitUpdate(harness, db.prisma, incident.id, { status: 'MITIGATED' });
    await jobAwaitingRetry(db.prisma, `incident:${incident.id}:postmortem`);
    expect(postMortemCreates()).toHaveLength(1); // it took effect in Jira; the answer was lost
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, syncTasks);
    expect(postMortemCreates()).toHaveLength(1);
    expect(await db.prisma.postMortem.count({ where: { incidentId: incident.id } })).toBe(1);
  });
});

describe('the timeline stays fresh', () => {
  it('a key-event edit re-renders the timeline field; an unchanged timeline is not sent again', async () => {
    const { incident } = await mitigate('V0PMTIME');
    const { key } = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    jira.reset();
    const updates = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: { notIn: ['KEY_EVENT', 'NOTE'] } },
    });
    const startedAt = Math.floor(Date.now() / 1000) - 3600;
    await postSigned(
      harness.baseUrl,
      interactiveBody(
        keyEventsSubmission(incident.id, updates, { STARTED: startedAt, DETECTED: startedAt + 600 }),
      ),
    );
    await jobsDrained(db.prisma, syncTasks);
    const edits = jira.requestsTo('PUT', new RegExp(`/issue/${key}$`));
    expect(edits).toHaveLength(1);
    const timeline = String((edits[0]!.body as { fields: Record<string, unknown> }).fields.customfield_12700);
    expect(timeline).toContain('Key event: Started');
    expect(timeline).toContain('Key event: Detected');
    // Asked again with nothing new: no write.
    await enqueueJob(db.prisma, 'refresh_postmortem_timeline', { incidentId: incident.id });
    await jobsDrained(db.prisma, syncTasks);
    expect(jira.requestsTo('PUT', new RegExp(`/issue/${key}$`))).toHaveLength(1);
  });
});

describe('closing waits for the post-mortem', () => {
  const minutesAgo = (minutes: number) => Math.floor(Date.now() / 1000) - minutes * 60;
  /** A mitigated P1 with its key events, moved to Post-mortem: everything but the post-mortem is done. */
  async function readyButForThePostMortem(viewId: string, beforeMitigated?: () => void) {
    const { incident, channel } = await mitigate(viewId, beforeMitigated);
    const updates = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: { notIn: ['KEY_EVENT', 'NOTE'] } },
    });
    const keyEvents = await postSigned(
      harness.baseUrl,
      interactiveBody(
        keyEventsSubmission(incident.id, updates, { STARTED: minutesAgo(90), DETECTED: minutesAgo(80) }),
      ),
    );
    expect(keyEvents.status).toBe(200);
    expect(await submitUpdate(harness, db.prisma, incident.id, { status: 'POST_MORTEM' })).toMatchObject({
      response_action: 'clear',
    });
    await jobsDrained(db.prisma, syncTasks);
    return { incident, channel };
  }
  const close = (incidentId: number) => submitUpdate(harness, db.prisma, incidentId, { status: 'CLOSED' });

  it('not ready in Jira, then unreadable, then Ready: refused with what to do, refused, closed', async () => {
    const { incident } = await readyButForThePostMortem('V0PMCLOSE1');
    const { key } = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const notReady = await close(incident.id);
    expect(notReady.response_action).toBe('errors');
    expect(JSON.stringify(notReady.errors)).toContain('it must be \\"Ready\\". Finish it and move it to');

    jira.fail('read', { status: 503, body: { errorMessages: ['down'] } });
    const unknown = await close(incident.id);
    expect(JSON.stringify(unknown.errors)).toContain('could not be read from Jira');

    jira.humanChange(key, { status: 'Ready' });
    expect(await close(incident.id)).toMatchObject({ response_action: 'clear' });
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'CLOSED',
    );
  });

  it('`/incident close` in the channel: refused while the post-mortem is not ready, closed once it is', async () => {
    const { incident, channel } = await readyButForThePostMortem('V0PMSLASH');
    const { key } = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const closeCommand = (path: string) =>
      postSigned(
        harness.baseUrl,
        slashCommandBody({
          text: 'close',
          channel_id: channel.channelId,
          response_url: `${harness.slack.url}/${path}`,
        }),
      );
    await closeCommand('response/pm-close-1');
    const [refusal] = await harness.slack.waitFor('response/pm-close-1');
    expect(JSON.stringify(refusal!.args.blocks)).toContain('reason_POSTMORTEM_NOT_READY');
    expect(JSON.stringify(refusal!.args.blocks)).toContain(`Post-mortem ${key} is`);

    jira.humanChange(key, { status: 'Ready' });
    await closeCommand('response/pm-close-2');
    const [closed] = await harness.slack.waitFor('response/pm-close-2');
    expect(closed!.args.text).toBe(`:white_check_mark: Incident #${incident.id} is closed.`);
  });

  it('Jira stalls on the post-mortem: the close is answered in time, saying Jira did not answer', async () => {
    const { incident } = await readyButForThePostMortem('V0PMSTALL');
    const { key } = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    jira.humanChange(key, { status: 'Ready' });
    const release = jira.holdReadsOf(key);
    // The read is held until after the answer: only the bot's own deadline can have answered.
    const stalled = await close(incident.id);
    release();
    expect(stalled.response_action).toBe('errors');
    expect(JSON.stringify(stalled.errors)).toContain(
      `could not be read from Jira (Jira did not answer within 2 s)`,
    );
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'POST_MORTEM',
    );
  });

  it('closed in Jira while the post-mortem cannot be read: not refused for good, applied once Jira answers', async () => {
    const { incident, channel } = await readyButForThePostMortem('V0PMJIRACLOSE');
    const { key } = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    jira.humanChange(key, { status: 'Ready' });
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    await deliverAll(harness, db, jira);
    jira.failReadsOf(key, { status: 503, body: { errorMessages: ['Service unavailable'] } });
    await deliver(harness.baseUrl, jira.humanChange(ticket.key, { status: 'Closed' }));
    await eventually(
      () => pendingJobs(db.prisma, 'jira-delivery:'),
      (jobs) => jobs.some((job) => job.last_error !== null),
    );
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'POST_MORTEM',
    );
    await runDueJobsNow(db.prisma);
    await jobsDrained(db.prisma, syncTasks);
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'CLOSED',
    );
    expect(channelPosts(harness, channel.channelId, 'was not automatically closed')).toHaveLength(0);
  });

  it('a post-mortem deleted in Jira: closing says how to replace it; /incident postmortem makes a new one that replaces the bookmark and gates the close', async () => {
    const { incident, channel } = await readyButForThePostMortem('V0PMGONE');
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const gone = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    jira.deleteIssue(gone.key);
    const refused = await close(incident.id);
    expect(JSON.stringify(refused.errors)).toContain(
      `Post-mortem ${gone.key} can no longer be found in Jira (deleted, or the bot lost access to it). Create a new one with the postmortem command.`,
    );

    expect((await ask(channel.channelId)).text).toContain(
      `Post-mortem ${gone.key} can no longer be found in Jira`,
    );
    await jobsDrained(db.prisma, syncTasks);
    const fresh = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(fresh.key).not.toBe(gone.key);
    expect(postMortemCreates()).toHaveLength(2);
    expect(jira.links).toContainEqual({ type: 'Relates', outward: fresh.key, inward: ticket.key });
    const pinned = channelPosts(harness, channel.channelId, 'The post-mortem has been created');
    expect(pinned.map((post) => String(post.args.text))).toEqual([
      expect.stringContaining(gone.key),
      expect.stringContaining(fresh.key),
    ]);
    const postMortemBookmarks = (harness.slack.bookmarks.get(channel.channelId) ?? [])
      .map((bookmark) => String(bookmark.title))
      .filter((title) => title.startsWith('Postmortem'));
    expect(postMortemBookmarks).toEqual([`Postmortem (${fresh.key})`]);

    expect(JSON.stringify((await close(incident.id)).errors)).toContain(
      `Post-mortem ${fresh.key} is \\"Incoming\\"`,
    );
    jira.humanChange(fresh.key, { status: 'Ready' });
    expect(await close(incident.id)).toMatchObject({ response_action: 'clear' });
  });

  it('lowering the priority does not get around it: in the same change, or before closing, from Slack or from Jira', async () => {
    const { incident } = await readyButForThePostMortem('V0PMBYPASS');
    const sameChange = await submitUpdate(harness, db.prisma, incident.id, { priority: 3, status: 'CLOSED' });
    expect(sameChange.response_action).toBe('errors');
    expect(JSON.stringify(sameChange.errors)).toContain('Finish it and move it to');
    expect(await submitUpdate(harness, db.prisma, incident.id, { priority: 3 })).toMatchObject({
      response_action: 'clear',
    });
    await jobsDrained(db.prisma, syncTasks);
    expect(JSON.stringify((await close(incident.id)).errors)).toContain('Finish it and move it to');
    // Closed in Jira instead: the same gate (the reference's words in the channel).
    const ticket = await db.prisma.jiraTicket.findUniqueOrThrow({ where: { incidentId: incident.id } });
    await deliverAll(harness, db, jira);
    await deliver(harness.baseUrl, jira.humanChange(ticket.key, { status: 'Closed' }));
    await jobsDrained(db.prisma, syncTasks);
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      'POST_MORTEM',
    );
  });

  it('no post-mortem (its creation was refused): refused, saying how to create one', async () => {
    // Refused every time (reaching Post-mortem tries again): no post-mortem exists.
    const { incident } = await readyButForThePostMortem('V0PMCLOSE2', () => {
      jira.failAlways('create', {
        status: 400,
        body: { errorMessages: ['Issue type Post-mortem is not valid'], errors: {} },
      });
    });
    expect(await db.prisma.postMortem.count({ where: { incidentId: incident.id } })).toBe(0);
    const refused = await close(incident.id);
    expect(JSON.stringify(refused.errors)).toContain('No post-mortem is linked to this incident yet');
  });
});

describe('/incident postmortem', () => {
  it('before Mitigated: when it can be made; a P3 that needs none: "create anyway?", and the button creates it; then its link', async () => {
    const { incident } = await declareSynced(harness, db, 'V0PMASK', 3, { customers_impact: 'MD' });
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect((await ask(channel.channelId)).text).toContain('once incident');

    for (const status of ['INVESTIGATING', 'MITIGATING', 'MITIGATED']) {
      await submitUpdate(harness, db.prisma, incident.id, { status });
      await jobsDrained(db.prisma, syncTasks);
    }
    expect(await db.prisma.postMortem.count({ where: { incidentId: incident.id } })).toBe(0);
    const offer = await ask(channel.channelId);
    expect(offer.text).toContain('does not need a post-mortem');
    expect(JSON.stringify(offer.blocks)).toContain('postmortem_create_anyway');

    const click = createAnywayClick(channel.channelId, 'response/pm', incident.id);
    await postSigned(harness.baseUrl, interactiveBody(click));
    await harness.slack.waitFor('response/pm');
    await jobsDrained(db.prisma, syncTasks);
    const row = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect((await ask(channel.channelId)).text).toContain(row.key);
  });

  it('someone who may not close the incident can neither attach one nor click an old button; a closed incident gets none', async () => {
    const { incident } = await declareSynced(harness, db, 'V0PMRIGHTS', 3, { customers_impact: 'MD' });
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    for (const status of ['INVESTIGATING', 'MITIGATING', 'MITIGATED']) {
      await submitUpdate(harness, db.prisma, incident.id, { status });
      await jobsDrained(db.prisma, syncTasks);
    }
    // Not the reporter, holds no role, not recorded in the channel: may see it, may not close it.
    const outsider = { ...reporter, id: 'U0OUTSIDER', username: 'outsider', name: 'outsider' };
    const asked = await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'postmortem', channel_id: channel.channelId, user_id: outsider.id }),
    );
    const answer = (await asked.json()) as { text: string; blocks?: unknown[] };
    expect(answer.text).toContain('does not need a post-mortem');
    expect(answer.text).toContain(STATUS_CHANGE_REFUSED);
    expect(JSON.stringify(answer.blocks ?? [])).not.toContain('postmortem_create_anyway');

    const click = {
      ...createAnywayClick(channel.channelId, 'response/outsider', incident.id),
      user: outsider,
    };
    await postSigned(harness.baseUrl, interactiveBody(click));
    const [refusal] = await harness.slack.waitFor('response/outsider');
    expect(refusal!.args.text).toBe(STATUS_CHANGE_REFUSED);

    // Closed: not even its reporter can add one any more (it would block nothing but be pinned in an archived channel).
    await db.prisma.incident.update({ where: { id: incident.id }, data: { status: 'CLOSED' } });
    const late = createAnywayClick(channel.channelId, 'response/closed', incident.id);
    await postSigned(harness.baseUrl, interactiveBody(late));
    const [closedAnswer] = await harness.slack.waitFor('response/closed');
    expect(closedAnswer!.args.text).toContain('is closed');
    await jobsDrained(db.prisma, syncTasks);
    expect(await db.prisma.postMortem.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(postMortemsInJira(incident.id)).toHaveLength(0);
  });

  it('asking while an attempt waits out a back-off tries again now, and says so', async () => {
    const { incident, channel } = await mitigatingP1('V0PMWAIT');
    // Jira asks the bot to come back in an hour.
    jira.fail('create', {
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { errorMessages: ['Rate limit'] },
    });
    await submitUpdate(harness, db.prisma, incident.id, { status: 'MITIGATED' });
    await eventually(
      () => pendingJobs(db.prisma, `incident:${incident.id}:postmortem`),
      ([waiting]) => (waiting?.run_at.getTime() ?? 0) > Date.now() + 60_000,
    );
    expect((await ask(channel.channelId)).text).toContain('was waiting to try again');
    // No runDueJobsNow: the request itself brought the attempt forward.
    await jobsDrained(db.prisma, syncTasks);
    expect(await db.prisma.postMortem.count({ where: { incidentId: incident.id } })).toBe(1);
    expect(postMortemsInJira(incident.id)).toHaveLength(1);
  });

  it('the automatic trigger, two asks and the button at once, while Jira drops the first create answer: exactly one post-mortem', async () => {
    const { incident, channel } = await mitigatingP1('V0PMSTORM');
    jira.loseCreateAnswers(1);
    const button = createAnywayClick(channel.channelId, 'response/storm', incident.id);
    await submitUpdate(harness, db.prisma, incident.id, { status: 'MITIGATED' });
    await Promise.all([
      ask(channel.channelId),
      ask(channel.channelId),
      postSigned(harness.baseUrl, interactiveBody(button)),
      submitUpdate(harness, db.prisma, incident.id, { status: 'POST_MORTEM' }),
    ]);
    await harness.slack.waitFor('response/storm');
    for (let round = 0; round < 3; round += 1) {
      await runDueJobsNow(db.prisma);
      await jobsDrained(db.prisma, syncTasks);
    }
    expect(postMortemsInJira(incident.id)).toHaveLength(1);
    const row = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(row.key).toBe(postMortemsInJira(incident.id)[0]!.key);
    expect(channelPosts(harness, channel.channelId, 'The post-mortem has been created')).toHaveLength(1);
    expect(
      harness.slack
        .callsTo('bookmarks.add')
        .filter(
          (call) =>
            call.args.channel_id === channel.channelId && String(call.args.title).startsWith('Postmortem'),
        ),
    ).toHaveLength(1);
  });

  it('a channel that refuses bookmarks still gets the pinned message, link and assignment; the refusal ends there', async () => {
    harness.slack.on('bookmarks.add', () => ({ ok: false, error: 'restricted_action' }));
    const { incident, ticket, channel } = await mitigate('V0PMNOBOOK');
    const row = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(channelPosts(harness, channel.channelId, 'The post-mortem has been created')).toHaveLength(1);
    expect(jira.links).toEqual([{ type: 'Relates', outward: row.key, inward: ticket.key }]);
    expect(jira.snapshot(row.key).fields.assignee).toMatchObject({ accountId: '5c0000000000000000000001' });
    // Tried once, not retried for ever: a refusal is logged, not a retry storm.
    expect(
      harness.slack
        .callsTo('bookmarks.add')
        .filter((call) => String(call.args.title).startsWith('Postmortem')),
    ).toHaveLength(1);
  });

  it('a post-mortem made before the incident had a channel is pinned and bookmarked once the channel exists', async () => {
    const { incident } = await declareSynced(
      harness,
      db,
      'V0PMLATE',
      4,
      { customers_impact: 'LO' },
      { featureTeam: 'Payments' },
    );
    for (const status of ['INVESTIGATING', 'MITIGATING', 'MITIGATED']) {
      await submitUpdate(harness, db.prisma, incident.id, { status });
      await jobsDrained(db.prisma, syncTasks);
    }
    const click = createAnywayClick('D0REPORTER', 'response/late', incident.id);
    await postSigned(harness.baseUrl, interactiveBody(click));
    await harness.slack.waitFor('response/late');
    await jobsDrained(db.prisma, syncTasks);
    const row = await db.prisma.postMortem.findUniqueOrThrow({ where: { incidentId: incident.id } });
    // Escalated to P1: the channel opens, and the post-mortem shows there.
    expect(await submitUpdate(harness, db.prisma, incident.id, { priority: 1 })).toMatchObject({
      response_action: 'clear',
    });
    await jobsDrained(db.prisma, syncTasks);
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(channelPosts(harness, channel.channelId, 'The post-mortem has been created')).toHaveLength(1);
    expect(harness.slack.bookmarks.get(channel.channelId)?.map((bookmark) => bookmark.title)).toContain(
      `Postmortem (${row.key})`,
    );
  });
});
