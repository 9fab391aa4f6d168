import nock from 'nock';

export const JIRA_BASE = 'https://example.atlassian.net';

export interface JiraRequest {
  method: string;
  path: string;
  body: unknown;
}
export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
/** Endpoints whose replies a test can script (see fail / failAlways). */
export type JiraRoute =
  | 'create'
  | 'search'
  | 'watchers'
  | 'remotelink'
  | 'myself'
  | 'read'
  | 'edit'
  | 'assign'
  | 'transition'
  | 'user'
  | 'changelog'
  | 'link';

export const parse = (body: unknown) => {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
};

/**
 * Jira Cloud behind nock: issues it creates are found again by label search (as in real Jira),
 * every request is recorded, and failures can be queued per endpoint. Response bodies follow
 * shared/fixtures/jira.
 */
export class FakeJira {
  readonly requests: JiraRequest[] = [];
  readonly issues: {
    id: string;
    key: string;
    labels: string[];
    fields: Record<string, unknown>;
    /** False while Jira's search index lags behind the create (see lagSearch). */
    indexed: boolean;
  }[] = [];
  private lostCreateAnswers = 0;
  private searchLags = false;
  /**
   * Jira users. `hiddenEmail`: the address Jira Cloud matches the query on but does not return,
   * as it does for most users (profile visibility).
   */
  readonly users: {
    accountId: string;
    emailAddress?: string;
    hiddenEmail?: string;
    displayName?: string;
    accountType?: string;
  }[] = [];
  /** Replies used (and consumed) before the normal behaviour, per "METHOD path-prefix". */
  private readonly queued = new Map<string, Reply[]>();
  /** What the doctor reads: projects with their issue types and workflow statuses, fields, link types. */
  readonly projects: Record<string, { issueTypes: string[]; statuses: string[] }> = {
    INC: {
      issueTypes: ['Incident', 'Post-mortem', 'Task'],
      statuses: ['Incoming', 'Pending resolution', 'in progress', 'Reporter validation', 'Closed', 'Ready'],
    },
  };
  readonly fields: string[] = [
    'summary',
    'description',
    'labels',
    'priority',
    'customfield_11064',
    'customfield_11049',
    'customfield_10201',
    'customfield_10936',
    'customfield_12699',
    'customfield_12700',
    'customfield_12701',
    'customfield_12702',
    'customfield_12703',
    'customfield_12369',
  ];
  readonly linkTypes: string[] = ['Blocks', 'Cloners', 'Relates'];
  /** Jira's own priorities (GET /rest/api/3/priority), Jira Cloud's defaults. */
  readonly priorities: string[] = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
  private nextId = 10000;
  private scope: nock.Scope | undefined;

  fail(route: JiraRoute, ...replies: Reply[]): this {
    this.queued.set(route, [...(this.queued.get(route) ?? []), ...replies]);
    return this;
  }

  /** Make every call to the route fail with this reply until `reset()`. */
  failAlways(route: JiraRoute, reply: Reply): this {
    this.queued.set(
      route,
      Array.from({ length: 1000 }, () => reply),
    );
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.queued.clear();
    this.lostCreateAnswers = 0;
    this.catchUpSearch();
    this.searchLags = false;
  }

  /** The next `count` creates take effect in Jira, but the answer never arrives (connection drops). */
  loseCreateAnswers(count = 1): this {
    this.lostCreateAnswers = count;
    return this;
  }

  /** Issues created from now on are not found by search until `catchUpSearch()`, as Jira Cloud documents. */
  lagSearch(): this {
    this.searchLags = true;
    return this;
  }

  catchUpSearch(): this {
    for (const issue of this.issues) issue.indexed = true;
    return this;
  }

  requestsTo(method: string, pathPart: string | RegExp): JiraRequest[] {
    return this.requests.filter(
      (request) =>
        request.method === method &&
        (typeof pathPart === 'string' ? request.path.includes(pathPart) : pathPart.test(request.path)),
    );
  }

  protected take(route: string): Reply | undefined {
    const list = this.queued.get(route);
    return list?.shift();
  }

  protected record(method: string, path: string, body: unknown) {
    this.requests.push({ method, path, body: parse(body) });
  }

  protected respond(route: string, normal: () => Reply): nock.ReplyFnResult {
    const reply = this.take(route) ?? normal();
    return [
      reply.status,
      reply.body === undefined ? '' : JSON.stringify(reply.body),
      { 'content-type': 'application/json', ...(reply.headers ?? {}) },
    ];
  }

  start(): this {
    this.scope = nock(JIRA_BASE)
      .persist()
      .post(/^\/rest\/api\/[23]\/issue$/)
      .reply((uri, body, callback) => {
        this.record('POST', uri, body);
        const result = this.respond('create', () => {
          const request = parse(body) as { fields: Record<string, unknown> };
          const project = (request.fields.project as { key: string }).key;
          const id = String((this.nextId += 1));
          const key = `${project}-${this.issues.length + 1}`;
          this.issues.push({
            id,
            key,
            labels: (request.fields.labels as string[]) ?? [],
            fields: request.fields,
            indexed: !this.searchLags,
          });
          return { status: 201, body: { id, key, self: `${JIRA_BASE}/rest/api/3/issue/${id}` } };
        });
        if (this.lostCreateAnswers > 0) {
          this.lostCreateAnswers -= 1;
          callback(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), [0, '']);
          return;
        }
        callback(null, result);
      })
      .get('/rest/api/3/search/jql')
      .query(true)
      .reply((uri) => {
        this.record('GET', uri, undefined);
        return this.respond('search', () => {
          const jql = new URL(uri, JIRA_BASE).searchParams.get('jql') ?? '';
          const label = /labels = "([^"]+)"/.exec(jql)?.[1];
          const found = this.issues.filter((issue) => issue.indexed && label && issue.labels.includes(label));
          return {
            status: 200,
            body: {
              issues: found.map((issue) => ({
                expand: '',
                id: issue.id,
                self: `${JIRA_BASE}/rest/api/3/issue/${issue.id}`,
                key: issue.key,
                fields: { summary: issue.fields.summary },
              })),
              isLast: true,
            },
          };
        });
      })
      .post(/^\/rest\/api\/3\/issue\/[^/]+\/watchers$/)
      .reply((uri, body) => {
        this.record('POST', uri, body);
        return this.respond('watchers', () => ({ status: 204 }));
      })
      .post(/^\/rest\/api\/3\/issue\/[^/]+\/remotelink$/)
      .reply((uri, body) => {
        this.record('POST', uri, body);
        return this.respond('remotelink', () => ({
          status: 201,
          body: { id: 10000, self: `${JIRA_BASE}${uri}/10000` },
        }));
      })
      .get('/rest/api/3/user/search')
      .query(true)
      .reply((uri) => {
        this.record('GET', uri, undefined);
        const query = new URL(uri, JIRA_BASE).searchParams.get('query') ?? '';
        const matches = this.users
          .filter((user) => (user.emailAddress ?? user.hiddenEmail)?.includes(query))
          .map(({ hiddenEmail: _hidden, ...visible }) => ({
            accountType: 'atlassian',
            active: true,
            ...visible,
          }));
        return [200, JSON.stringify(matches), { 'content-type': 'application/json' }];
      })
      .get('/rest/api/3/myself')
      .reply((uri) => {
        this.record('GET', uri, undefined);
        return this.respond('myself', () => ({
          status: 200,
          body: {
            accountId: '5c0000000000000000000099',
            emailAddress: 'bot@example.com',
            displayName: 'Incident Bot',
            active: true,
          },
        }));
      });
    const json = (status: number, body: unknown): nock.ReplyFnResult => [
      status,
      JSON.stringify(body),
      { 'content-type': 'application/json' },
    ];
    const projectOf = (uri: string) =>
      this.projects[decodeURIComponent(/\/project\/([^/?]+)/.exec(uri)?.[1] ?? '')];
    this.scope
      .get(/^\/rest\/api\/3\/project\/[^/]+$/)
      .reply((uri) => {
        this.record('GET', uri, undefined);
        return projectOf(uri)
          ? json(200, { id: '10000', key: uri.split('/').pop() })
          : json(404, { errorMessages: ['No project could be found'], errors: {} });
      })
      .get(/^\/rest\/api\/3\/project\/[^/]+\/statuses$/)
      .reply((uri) => {
        this.record('GET', uri, undefined);
        const project = projectOf(uri);
        if (!project) return json(404, { errorMessages: ['No project could be found'], errors: {} });
        return json(
          200,
          project.issueTypes.map((name, index) => ({
            id: String(10000 + index),
            name,
            subtask: false,
            statuses: project.statuses.map((status, i) => ({
              id: String(i + 1),
              name: status,
              statusCategory: { key: 'new' },
            })),
          })),
        );
      })
      .get(/^\/rest\/api\/3\/issue\/createmeta\/[^/]+\/issuetypes/)
      .reply((uri) => {
        this.record('GET', uri, undefined);
        const key = decodeURIComponent(/createmeta\/([^/]+)\//.exec(uri)?.[1] ?? '');
        const project = this.projects[key];
        if (!project) return json(404, { errorMessages: ['No project could be found'], errors: {} });
        return json(200, {
          issueTypes: project.issueTypes.map((name, i) => ({ id: String(i), name })),
          maxResults: 50,
          startAt: 0,
          total: project.issueTypes.length,
        });
      })
      .get('/rest/api/3/field')
      .reply((uri) => {
        this.record('GET', uri, undefined);
        return json(
          200,
          this.fields.map((id) => ({ id, key: id, name: id, custom: id.startsWith('customfield_') })),
        );
      })
      .get('/rest/api/3/serverInfo')
      .reply((uri) => {
        this.record('GET', uri, undefined);
        return json(200, { baseUrl: JIRA_BASE, deploymentType: 'Cloud', version: '1001.0.0-SNAPSHOT' });
      })
      .get('/rest/api/3/priority')
      .reply((uri) => {
        this.record('GET', uri, undefined);
        return json(
          200,
          this.priorities.map((name, i) => ({
            id: String(i + 1),
            name,
            self: `${JIRA_BASE}${uri}/${i + 1}`,
          })),
        );
      })
      .get('/rest/api/3/issueLinkType')
      .reply((uri) => {
        this.record('GET', uri, undefined);
        return json(200, {
          issueLinkTypes: this.linkTypes.map((name, i) => ({
            id: String(i),
            name,
            inward: name,
            outward: name,
          })),
        });
      });
    return this;
  }

  stop(): void {
    nock.cleanAll();
  }
}

/** Environment that points the bot at the fake Jira. */
export const jiraEnv = {
  JIRA_BASE_URL: JIRA_BASE,
  JIRA_EMAIL: 'bot@example.com',
  JIRA_API_TOKEN: 'jira-token',
  // The fake's search is consistent unless a test makes it lag; those tests set their own window.
  JIRA_SEARCH_LAG_MS: '0',
};
