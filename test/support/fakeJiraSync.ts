import nock from 'nock';
import { FakeJira, JIRA_BASE, parse } from './fakeJira.js';
import { fixtureJson } from './fixtures.js';

/** A Jira user as webhooks name them. */
export interface JiraUserRef {
  accountId: string;
  displayName: string;
}

/** One webhook Jira would send: its identifier header and its body. */
export interface JiraWebhook {
  id: string;
  body: Record<string, unknown>;
}

export const BOT_ACCOUNT: JiraUserRef = {
  accountId: '5c0000000000000000000099',
  displayName: 'Incident Bot',
};
export const JANE: JiraUserRef = { accountId: '5c0000000000000000000007', displayName: 'Jane Human' };
export const KIM: JiraUserRef = { accountId: '5c0000000000000000000008', displayName: 'Kim Other' };

/** The synced fields a person can change in Jira in these tests. */
export interface HumanChange {
  status?: string;
  summary?: string;
  description?: string;
  /** The priority field's option value ("1".."5"). */
  priority?: string;
  /** An account id; null unassigns. */
  assignee?: string | null;
  /** Any other field (e.g. Story Points), by id. */
  other?: { fieldId: string; field: string; value: string };
}

interface IssueState {
  status: string;
  assignee: string | null;
  updated: number;
  deleted: boolean;
  /** The issue's history, oldest first, as GET …/changelog pages it. */
  histories: {
    id: string;
    created: string;
    author: Record<string, unknown>;
    items: Record<string, unknown>[];
  }[];
}

const PRIORITY_FIELD = 'customfield_11064';

/**
 * Jira with a workflow, for the two-way sync: issues keep a status (moved only along the
 * workflow's transitions, as Jira does for API calls; people in the tests may move it anywhere),
 * an assignee and an updated time; every change — by the bot's API calls or by a person —
 * produces the webhook Jira Cloud would send (bodies modelled on shared/fixtures/jira), queued
 * in `webhooks` for the test to deliver, duplicate, reorder or drop.
 */
export class JiraWithWorkflow extends FakeJira {
  /** FireFighter's workflow: status → statuses a transition leads to. */
  workflow: Record<string, string[]> = {
    Incoming: ['Pending resolution', 'Closed'],
    'Pending resolution': ['in progress', 'Incoming', 'Closed'],
    'in progress': ['Reporter validation', 'Pending resolution', 'Closed'],
    'Reporter validation': ['in progress', 'Closed'],
    Closed: ['Incoming'],
  };
  initialStatus = 'Incoming';
  readonly webhooks: JiraWebhook[] = [];
  /** Set (by a JiraWebhookEmitter), webhooks go to it as they happen instead of into `webhooks`. */
  onWebhook: ((webhook: JiraWebhook) => void) | undefined;
  /** Issue links made (POST /issueLink). */
  readonly links: { type: string; outward: string; inward: string }[] = [];
  /** Calls that wrote to an issue (edits, assignments, transitions), for "bounded writes" checks. */
  writes = 0;
  private readonly state = new Map<string, IssueState>();
  private clock = 0;
  private nextEvent = 1;
  private readonly statusIds = new Map<string, string>();
  private readonly lostAnswers = new Map<string, number>();
  /** Runs before a user lookup is answered (to make something happen while the bot waits). */
  beforeUserAnswer: (() => Promise<void>) | undefined;
  /** Runs before an issue's history is answered (a person editing between two reads of the bot). */
  beforeChangelogAnswer: (() => Promise<void>) | undefined;

  private readonly readFailures = new Map<string, { status: number; body?: unknown }[]>();
  private readonly heldReads = new Map<string, (() => void)[]>();

  /** The next reads of this one issue get these replies (other issues read normally). */
  failReadsOf(key: string, ...replies: { status: number; body?: unknown }[]): this {
    this.readFailures.set(key, [...(this.readFailures.get(key) ?? []), ...replies]);
    return this;
  }

  /** Reads of this issue get no answer until the returned function is called (a stalled Jira). */
  holdReadsOf(key: string): () => void {
    this.heldReads.set(key, []);
    return () => {
      const waiting = this.heldReads.get(key) ?? [];
      this.heldReads.delete(key);
      for (const answer of waiting) answer();
    };
  }

  /** The next `count` calls of this route take effect in Jira, but their answer never arrives. */
  loseAnswers(route: 'edit' | 'assign' | 'transition', count = 1): this {
    this.lostAnswers.set(route, count);
    return this;
  }

  /** Answer the call, or drop the connection after it took effect (see loseAnswers). */
  private answer(
    route: string,
    result: nock.ReplyFnResult,
    callback: (error: Error | null, result: nock.ReplyFnResult) => void,
  ) {
    const lost = this.lostAnswers.get(route) ?? 0;
    if (lost > 0) {
      this.lostAnswers.set(route, lost - 1);
      callback(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), [0, '']);
      return;
    }
    callback(null, result);
  }

  private tick(): number {
    this.clock = Math.max(Date.now(), this.clock + 1);
    return this.clock;
  }

  private statusId(name: string): string {
    if (!this.statusIds.has(name)) this.statusIds.set(name, String(10000 + this.statusIds.size));
    return this.statusIds.get(name)!;
  }

  issue(key: string) {
    const issue = this.issues.find((candidate) => candidate.key === key);
    if (!issue) throw new Error(`no issue ${key}`);
    let state = this.state.get(key);
    if (!state) {
      state = {
        status: this.initialStatus,
        assignee: null,
        updated: this.tick(),
        deleted: false,
        histories: [],
      };
      this.state.set(key, state);
    }
    return { issue, state };
  }

  /** The issue as REST v2 shows it (and as webhook bodies carry it). */
  snapshot(key: string) {
    const { issue, state } = this.issue(key);
    const user = this.users.find((candidate) => candidate.accountId === state.assignee);
    return {
      id: issue.id,
      self: `${JIRA_BASE}/rest/api/2/issue/${issue.id}`,
      key: issue.key,
      fields: {
        ...issue.fields,
        summary: issue.fields.summary ?? null,
        description: issue.fields.description ?? null,
        status: { name: state.status, id: this.statusId(state.status), statusCategory: { key: 'new' } },
        issuelinks: this.links
          .filter((link) => link.outward === key || link.inward === key)
          .map((link) => ({
            type: { name: link.type },
            ...(link.outward === key
              ? { inwardIssue: { key: link.inward } }
              : { outwardIssue: { key: link.outward } }),
          })),
        assignee: state.assignee
          ? { accountId: state.assignee, displayName: user?.displayName ?? state.assignee, active: true }
          : null,
        updated: new Date(state.updated).toISOString().replace('Z', '+0000'),
        [PRIORITY_FIELD]: issue.fields[PRIORITY_FIELD] ?? null,
      },
    };
  }

  status(key: string): string {
    return this.issue(key).state.status;
  }

  /** The transitions Jira offers from the issue's current status (getTransitions shape). */
  offered(key: string) {
    return (this.workflow[this.status(key)] ?? []).map((to) => ({
      id: `t${this.statusId(to)}`,
      name: `Move to ${to}`,
      to: {
        name: to,
        id: this.statusId(to),
        statusCategory: { key: to === 'Closed' ? 'done' : 'indeterminate' },
      },
      hasScreen: false,
      isGlobal: false,
      isInitial: false,
      isConditional: false,
    }));
  }

  private emit(body: Record<string, unknown>): JiraWebhook {
    const webhook = { id: `fake-webhook-${this.nextEvent++}`, body };
    if (this.onWebhook) this.onWebhook(webhook);
    else this.webhooks.push(webhook);
    return webhook;
  }

  private actorOf(user: JiraUserRef) {
    const template = fixtureJson<{ user: Record<string, unknown> }>('jira/issue_updated-status.json').user;
    const { name: _name, key: _key, emailAddress: _email, ...modern } = template;
    return { ...modern, accountId: user.accountId, displayName: user.displayName, accountType: 'atlassian' };
  }

  /** Apply a change and queue its `jira:issue_updated` webhook. */
  private change(key: string, change: HumanChange, actor: JiraUserRef, eventType: string): JiraWebhook {
    const { issue, state } = this.issue(key);
    const items: Record<string, unknown>[] = [];
    if (change.status !== undefined && change.status !== state.status) {
      if (change.status === 'Closed') {
        items.push({
          field: 'resolution',
          fieldtype: 'jira',
          fieldId: 'resolution',
          from: null,
          fromString: null,
          to: '10000',
          toString: 'Done',
        });
      }
      items.push({
        field: 'status',
        fieldtype: 'jira',
        fieldId: 'status',
        from: this.statusId(state.status),
        fromString: state.status,
        to: this.statusId(change.status),
        toString: change.status,
      });
      state.status = change.status;
    }
    const text = (fieldId: 'summary' | 'description', value: string | undefined) => {
      if (value === undefined || value === issue.fields[fieldId]) return;
      items.push({
        field: fieldId,
        fieldtype: 'jira',
        fieldId,
        from: null,
        fromString: issue.fields[fieldId] ?? null,
        to: null,
        toString: value,
      });
      issue.fields[fieldId] = value;
    };
    text('summary', change.summary);
    text('description', change.description);
    if (change.priority !== undefined) {
      const before = (issue.fields[PRIORITY_FIELD] as { value?: string } | undefined)?.value ?? null;
      if (before !== change.priority) {
        items.push({
          field: 'Priority',
          fieldtype: 'custom',
          fieldId: PRIORITY_FIELD,
          from: null,
          fromString: before,
          to: null,
          toString: change.priority,
        });
        issue.fields[PRIORITY_FIELD] = { value: change.priority };
      }
    }
    if (change.assignee !== undefined && change.assignee !== state.assignee) {
      const name = (id: string | null) => this.users.find((user) => user.accountId === id)?.displayName ?? id;
      items.push({
        field: 'assignee',
        fieldtype: 'jira',
        fieldId: 'assignee',
        from: state.assignee,
        fromString: name(state.assignee),
        to: change.assignee,
        toString: name(change.assignee),
        tmpFromAccountId: state.assignee,
        tmpToAccountId: change.assignee,
      });
      state.assignee = change.assignee;
    }
    if (change.other) {
      items.push({
        field: change.other.field,
        fieldtype: 'custom',
        fieldId: change.other.fieldId,
        from: null,
        fromString: null,
        to: null,
        toString: change.other.value,
      });
      issue.fields[change.other.fieldId] = change.other.value;
    }
    state.updated = this.tick();
    const created = new Date(state.updated).toISOString().replace('Z', '+0000');
    if (items.length > 0) {
      state.histories.push({
        id: String(20000 + this.nextEvent),
        created,
        author: this.actorOf(actor),
        items,
      });
    }
    return this.emit({
      timestamp: state.updated,
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: eventType,
      user: this.actorOf(actor),
      issue: this.snapshot(key),
      changelog: { id: String(this.nextEvent + 20000), items },
    });
  }

  /** A person changes the issue in Jira (any status, as an admin could). */
  humanChange(key: string, change: HumanChange, actor: JiraUserRef = JANE): JiraWebhook {
    return this.change(key, change, actor, change.status ? 'issue_generic' : 'issue_updated');
  }

  /** A person deletes the issue. */
  deleteIssue(key: string, actor: JiraUserRef = JANE): JiraWebhook {
    const snapshot = this.snapshot(key);
    const { issue, state } = this.issue(key);
    state.deleted = true;
    issue.labels = []; // gone from search too

    return this.emit({
      timestamp: this.tick(),
      webhookEvent: 'jira:issue_deleted',
      user: this.actorOf(actor),
      issue: snapshot,
    });
  }

  /** A comment event, shaped like the 2024 Cloud capture (no top-level user). */
  comment(
    key: string,
    kind: 'created' | 'updated' | 'deleted',
    body: string,
    author: JiraUserRef = JANE,
  ): JiraWebhook {
    const template = fixtureJson<
      Record<string, unknown> & { comment: Record<string, unknown>; issue: Record<string, unknown> }
    >('jira/comment_created.json');
    const snapshot = this.snapshot(key);
    const authorObject = this.actorOf(author);
    return this.emit({
      ...template,
      timestamp: this.tick(),
      webhookEvent: `comment_${kind}`,
      comment: {
        ...template.comment,
        id: String(this.nextEvent + 30000),
        body,
        author: authorObject,
        updateAuthor: authorObject,
      },
      issue: { ...template.issue, id: snapshot.id, key, self: `${JIRA_BASE}/rest/api/2/${snapshot.id}` },
    });
  }

  override reset(): void {
    super.reset();
    this.lostAnswers.clear();
    this.readFailures.clear();
    const held = [...this.heldReads.values()].flat();
    this.heldReads.clear();
    for (const answer of held) answer();
    this.links.length = 0;
    this.writes = 0;
    this.webhooks.length = 0;
  }

  override start(): this {
    super.start();
    const notFound = () => ({
      status: 404,
      body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
    });
    const keyOf = (uri: string) => decodeURIComponent(/\/issue\/([^/?]+)/.exec(uri)![1]!);
    const live = (key: string) =>
      this.issues.some((issue) => issue.key === key) && !this.issue(key).state.deleted;
    const reply = (route: string, normal: () => { status: number; body?: unknown }) => {
      const [status, body, headers] = this.respond(route, normal) as [number, string, Record<string, string>];
      return [status, body, headers] as nock.ReplyFnResult;
    };
    nock(JIRA_BASE)
      .persist()
      .get(/^\/rest\/api\/2\/issue\/[^/?]+(\?.*)?$/)
      .reply((uri, _body, callback) => {
        this.record('GET', uri, undefined);
        const key = keyOf(uri);
        const expand = new URL(uri, JIRA_BASE).searchParams.get('expand') ?? '';
        const answer = () => {
          const failure = this.readFailures.get(key)?.shift();
          if (failure) return callback(null, [failure.status, JSON.stringify(failure.body ?? ''), {}]);
          callback(
            null,
            reply('read', () => {
              if (!live(key)) return notFound();
              const body = this.snapshot(key);
              return {
                status: 200,
                body: expand.includes('transitions') ? { ...body, transitions: this.offered(key) } : body,
              };
            }),
          );
        };
        const held = this.heldReads.get(key);
        if (held) held.push(answer);
        else answer();
      })
      .put(/^\/rest\/api\/2\/issue\/[^/?]+$/)
      .reply((uri, body, callback) => {
        this.record('PUT', uri, body);
        const key = keyOf(uri);
        const result = reply('edit', () => {
          if (!live(key)) return notFound();
          this.writes += 1;
          const fields = (parse(body) as { fields: Record<string, unknown> }).fields;
          const change: HumanChange = {};
          if (typeof fields.summary === 'string') change.summary = fields.summary;
          if (typeof fields.description === 'string') change.description = fields.description;
          if (fields[PRIORITY_FIELD]) change.priority = (fields[PRIORITY_FIELD] as { value: string }).value;
          this.change(key, change, BOT_ACCOUNT, 'issue_updated');
          return { status: 204 };
        });
        this.answer('edit', result, callback);
      })
      .put(/^\/rest\/api\/2\/issue\/[^/?]+\/assignee$/)
      .reply((uri, body, callback) => {
        this.record('PUT', uri, body);
        const key = keyOf(uri);
        const result = reply('assign', () => {
          if (!live(key)) return notFound();
          this.writes += 1;
          this.change(
            key,
            { assignee: (parse(body) as { accountId: string | null }).accountId },
            BOT_ACCOUNT,
            'issue_assigned',
          );
          return { status: 204 };
        });
        this.answer('assign', result, callback);
      })
      .post(/^\/rest\/api\/2\/issue\/[^/?]+\/transitions$/)
      .reply((uri, body, callback) => {
        this.record('POST', uri, body);
        const key = keyOf(uri);
        const result = reply('transition', () => {
          if (!live(key)) return notFound();
          const id = (parse(body) as { transition: { id: string } }).transition.id;
          const to = (this.workflow[this.status(key)] ?? []).find(
            (status) => `t${this.statusId(status)}` === id,
          );
          if (!to) {
            return {
              status: 400,
              body: { errorMessages: [`Transition id '${id}' is not valid for this issue.`], errors: {} },
            };
          }
          this.writes += 1;
          this.change(key, { status: to }, BOT_ACCOUNT, 'issue_generic');
          return { status: 204 };
        });
        this.answer('transition', result, callback);
      })
      .get(/^\/rest\/api\/2\/issue\/[^/?]+\/changelog(\?.*)?$/)
      .reply((uri, _body, callback) => {
        this.record('GET', uri, undefined);
        const key = keyOf(uri);
        const answer = () =>
          reply('changelog', () => {
            if (!live(key)) return notFound();
            const params = new URL(uri, JIRA_BASE).searchParams;
            const startAt = Number(params.get('startAt') ?? 0);
            const maxResults = Number(params.get('maxResults') ?? 100);
            const all = this.issue(key).state.histories;
            const values = all.slice(startAt, startAt + maxResults);
            return {
              status: 200,
              body: {
                self: `${JIRA_BASE}${uri}`,
                maxResults,
                startAt,
                total: all.length,
                isLast: startAt + values.length >= all.length,
                values,
              },
            };
          });
        this.answerAfter(this.takeHook('beforeChangelogAnswer'), answer, callback);
      })
      .post('/rest/api/2/issueLink')
      .reply((uri, body) => {
        this.record('POST', uri, body);
        return reply('link', () => {
          const request = parse(body) as {
            type: { name: string };
            outwardIssue: { key: string };
            inwardIssue: { key: string };
          };
          if (!this.linkTypes.includes(request.type.name)) {
            return {
              status: 404,
              body: {
                errorMessages: [`No issue link type with name '${request.type.name}' found.`],
                errors: {},
              },
            };
          }
          this.links.push({
            type: request.type.name,
            outward: request.outwardIssue.key,
            inward: request.inwardIssue.key,
          });
          return { status: 201 };
        });
      })
      .get('/rest/api/3/user')
      .query(true)
      .reply((uri, _body, callback) => {
        this.record('GET', uri, undefined);
        const hook = this.takeHook('beforeUserAnswer');
        const answer = () => {
          const accountId = new URL(uri, JIRA_BASE).searchParams.get('accountId');
          const user = this.users.find((candidate) => candidate.accountId === accountId);
          return reply('user', () =>
            user
              ? {
                  status: 200,
                  body: {
                    accountId: user.accountId,
                    displayName: user.displayName,
                    ...(user.emailAddress ? { emailAddress: user.emailAddress } : {}),
                    active: true,
                    accountType: 'atlassian',
                  },
                }
              : { status: 404, body: { errorMessages: ['User does not exist'], errors: {} } },
          );
        };
        this.answerAfter(hook, answer, callback);
      });
    return this;
  }

  /** A one-shot hook: taken, so it runs for one call only. */
  private takeHook(name: 'beforeUserAnswer' | 'beforeChangelogAnswer') {
    const hook = this[name];
    this[name] = undefined;
    return hook;
  }

  /** Answer once the hook (if any) has run: the answer then shows what the hook did. */
  private answerAfter(
    hook: (() => Promise<void>) | undefined,
    answer: () => nock.ReplyFnResult,
    callback: (error: Error | null, result: nock.ReplyFnResult) => void,
  ) {
    if (!hook) return callback(null, answer());
    void hook().then(
      () => callback(null, answer()),
      (error: Error) => callback(error, [0, '']),
    );
  }
}
