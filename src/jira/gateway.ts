import { isApiError, type Client } from 'jira.js/core';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { asJiraError } from './errors.js';

export interface JiraIssueRef {
  id: string;
  key: string;
}

/** An issue as the sync reads it: REST v2, so `description` is wiki text, as in webhooks. */
export interface JiraIssueSnapshot {
  id: string;
  key: string;
  fields: Record<string, unknown>;
}

/** A workflow transition offered from the issue's current status (`to` may be absent). */
export interface JiraTransition {
  id: string;
  name: string;
  to?: string | undefined;
}

export interface JiraStatusesByIssueType {
  issueType: string;
  statuses: string[];
}

/** Everything the bot asks of Jira, with coded errors. Tests swap the HTTP layer (nock). */
export interface JiraGateway {
  readonly baseUrl: string;
  browseUrl(key: string): string;
  myself(): Promise<{
    accountId: string;
    emailAddress?: string | undefined;
    displayName?: string | undefined;
  }>;
  createIssue(
    fields: Record<string, unknown>,
    properties: { key: string; value: unknown }[],
    projectKey: string,
  ): Promise<JiraIssueRef>;
  findIssuesByLabel(label: string): Promise<JiraIssueRef[]>;
  addWatcher(issueKey: string, accountId: string): Promise<void>;
  upsertRemoteLink(
    issueKey: string,
    link: { globalId: string; url: string; title: string; summary?: string },
  ): Promise<void>;
  /**
   * The account with exactly this email (case-insensitive). Jira Cloud hides most users' email
   * but still matches the query on it: a single human account with a hidden email is that user.
   */
  findAccountIdByEmail(email: string): Promise<string | undefined>;
  projectExists(projectKey: string): Promise<boolean>;
  issueTypeNames(projectKey: string): Promise<string[]>;
  fieldIds(): Promise<Set<string>>;
  projectStatuses(projectKey: string): Promise<JiraStatusesByIssueType[]>;
  linkTypeNames(): Promise<string[]>;
  /**
   * Reach the site without relying on the credentials: resolves with the HTTP status of
   * GET /rest/api/3/serverInfo whatever it is, rejects (JIRA_NETWORK_ERROR) only when nothing answered.
   */
  probeSite(): Promise<{ status: number; deploymentType?: string | undefined; version?: string | undefined }>;
  /** Names of the site's priorities (Jira's own Priority field). */
  priorityNames(): Promise<string[]>;
  /** The issue's current fields (only those asked for), read fresh: webhooks can be stale. */
  readIssue(key: string, fieldIds: readonly string[]): Promise<JiraIssueSnapshot>;
  /** Set fields (REST v2: text fields are wiki markup). */
  editIssue(key: string, fields: Record<string, unknown>): Promise<void>;
  /** Assign (null: unassign). */
  assignIssue(key: string, accountId: string | null): Promise<void>;
  /**
   * The issue's current status and the transitions Jira offers from it, for this account, read
   * together (GET issue with expand=transitions): a step is only taken from the status it was
   * planned from.
   */
  transitionsOf(key: string): Promise<{ status: string; transitions: JiraTransition[] }>;
  transitionIssue(key: string, transitionId: string): Promise<void>;
  /**
   * When each field last changed, from the issue's history (field id → time of its newest
   * change), reading the newest page; changes by `ignoreAuthor` (the bot's own writes, which
   * only carry an incident change made earlier) do not count.
   */
  fieldChangeTimes(key: string, ignoreAuthor?: string): Promise<Map<string, Date>>;
  /** Link two issues with a link type (by name): `outward` → `inward` as Jira names them. */
  linkIssues(typeName: string, outwardKey: string, inwardKey: string): Promise<void>;
  /** A user's public profile; `emailAddress` only when their privacy settings allow. */
  accountInfo(
    accountId: string,
  ): Promise<{ accountId: string; emailAddress?: string | undefined; displayName?: string | undefined }>;
}

const issueRefSchema = z.object({ id: z.string(), key: z.string() });
const projectStatusesSchema = z.array(
  z.object({ name: z.string(), statuses: z.array(z.object({ name: z.string() })) }),
);
const serverInfoSchema = z
  .object({ deploymentType: z.string().optional(), version: z.string().optional() })
  .loose();
const prioritiesSchema = z.array(z.object({ name: z.string() }).loose());
const issueSnapshotSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.record(z.string(), z.unknown()),
});
const transitionsSchema = z.object({
  fields: z.object({ status: z.object({ name: z.string() }).loose() }).loose(),
  transitions: z.array(
    z
      .object({
        id: z.string(),
        name: z.string().default(''),
        to: z.object({ name: z.string() }).loose().optional(),
      })
      .loose(),
  ),
});
const accountSchema = z
  .object({
    accountId: z.string(),
    emailAddress: z.string().optional(),
    displayName: z.string().optional(),
  })
  .loose();
const usersSchema = z.array(
  accountSchema.extend({ active: z.boolean().optional(), accountType: z.string().optional() }),
);
const searchPageSchema = z.object({ issues: z.array(z.unknown()).optional() }).loose();
const fieldsSchema = z.array(z.object({ id: z.string().optional() }).loose());
const linkTypesSchema = z
  .object({ issueLinkTypes: z.array(z.object({ name: z.string().optional() }).loose()).optional() })
  .loose();
const changelogPageSchema = z
  .object({
    total: z.number().int().nonnegative(),
    values: z.array(
      z
        .object({
          created: z.string(),
          author: z.object({ accountId: z.string().optional() }).loose().optional(),
          items: z.array(z.object({ fieldId: z.string().optional(), field: z.string().optional() }).loose()),
        })
        .loose(),
    ),
  })
  .loose();
/** Jira timestamps (`2019-02-11T11:27:55.000+0000`) as dates. */
export const jiraTime = (text: string) => new Date(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
const issuePath = (key: string) => `/rest/api/2/issue/${encodeURIComponent(key)}`;

const issueTypesPageSchema = z
  .object({ issueTypes: z.array(z.object({ name: z.string() })).optional() })
  .loose();

export function createJiraGateway(
  client: Client,
  settings: { baseUrl: string; email?: string | undefined },
): JiraGateway {
  const call = async <T>(action: string, run: () => Promise<T>, projectKey?: string): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw asJiraError(error, { action, email: settings.email, projectKey });
    }
  };
  const parse = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new AppError(
        'JIRA_UNEXPECTED_RESPONSE',
        `unexpected Jira response to ${what}: ${result.error.message}`,
        { retryable: true },
      );
    }
    return result.data;
  };

  return {
    baseUrl: settings.baseUrl,
    browseUrl: (key) => `${settings.baseUrl}/browse/${encodeURIComponent(key)}`,

    myself: () =>
      call('read its own account', async () => {
        const user = parse(
          accountSchema,
          await client.sendRequest({ url: '/rest/api/3/myself', method: 'GET' }),
          'own account',
        );
        return {
          accountId: user.accountId ?? '',
          emailAddress: user.emailAddress,
          displayName: user.displayName,
        };
      }),

    createIssue: (fields, properties, projectKey) =>
      call(
        `create the issue in ${projectKey}`,
        async () =>
          // REST v2 always: every text the bot writes (description, post-mortem sections) is
          // wiki markup, which v3 would want as ADF.
          parse(
            issueRefSchema,
            await client.sendRequest({
              url: '/rest/api/2/issue',
              method: 'POST',
              body: { fields, properties },
            }),
            'create issue',
          ),
        projectKey,
      ),

    findIssuesByLabel: (label) =>
      call('search for an existing ticket', async () => {
        const result = parse(
          searchPageSchema,
          await client.sendRequest({
            url: '/rest/api/3/search/jql',
            method: 'GET',
            searchParams: {
              jql: `labels = "${label.replace(/"/g, '')}" order by created asc`,
              fields: ['summary'],
              maxResults: 10,
            },
          }),
          'search',
        );
        return (result.issues ?? []).map((issue) => parse(issueRefSchema, issue, 'search'));
      }),

    addWatcher: (issueKey, accountId) =>
      call(`add a watcher to ${issueKey}`, async () => {
        // The API takes a bare JSON string (the account id); jira.js JSON-encodes string bodies.
        await client.sendRequest({
          url: `/rest/api/3/issue/${encodeURIComponent(issueKey)}/watchers`,
          method: 'POST',
          body: accountId,
        });
      }),

    upsertRemoteLink: (issueKey, link) =>
      call(`link ${issueKey} back`, async () => {
        // Same globalId = update, never a second link.
        await client.sendRequest({
          url: `/rest/api/3/issue/${encodeURIComponent(issueKey)}/remotelink`,
          method: 'POST',
          body: {
            globalId: link.globalId,
            object: { url: link.url, title: link.title, ...(link.summary ? { summary: link.summary } : {}) },
          },
        });
      }),

    findAccountIdByEmail: (email) =>
      call('look up a user by email', async () => {
        const users = parse(
          usersSchema,
          await client.sendRequest({
            url: '/rest/api/3/user/search',
            method: 'GET',
            searchParams: { query: email, maxResults: 20 },
          }),
          'user search',
        );
        const humans = users.filter(
          (user) => user.active !== false && (user.accountType ?? 'atlassian') === 'atlassian',
        );
        const exact = humans.filter((user) => user.emailAddress?.toLowerCase() === email.toLowerCase());
        if (exact.length > 0) return exact.length === 1 ? exact[0]!.accountId : undefined;
        const hidden = humans.filter((user) => !user.emailAddress);
        return hidden.length === 1 ? hidden[0]!.accountId : undefined;
      }),

    projectExists: async (projectKey) => {
      try {
        await client.sendRequest({
          url: `/rest/api/3/project/${encodeURIComponent(projectKey)}`,
          method: 'GET',
        });
        return true;
      } catch (error) {
        const appError = asJiraError(error, {
          action: `read project ${projectKey}`,
          email: settings.email,
          projectKey,
        });
        if (appError.code === 'JIRA_NOT_FOUND') return false;
        throw appError;
      }
    },

    issueTypeNames: (projectKey) =>
      call(
        `list issue types of ${projectKey}`,
        async () => {
          const page = parse(
            issueTypesPageSchema,
            await client.sendRequest({
              url: `/rest/api/3/issue/createmeta/${encodeURIComponent(projectKey)}/issuetypes`,
              method: 'GET',
            }),
            'issue types',
          );
          return (page.issueTypes ?? []).map((type) => type.name);
        },
        projectKey,
      ),

    fieldIds: () =>
      call(
        'list fields',
        async () =>
          new Set(
            parse(
              fieldsSchema,
              await client.sendRequest({ url: '/rest/api/3/field', method: 'GET' }),
              'fields',
            )
              .map((field) => field.id ?? '')
              .filter(Boolean),
          ),
      ),

    projectStatuses: (projectKey) =>
      call(
        `list statuses of ${projectKey}`,
        async () =>
          parse(
            projectStatusesSchema,
            await client.sendRequest({
              url: `/rest/api/3/project/${encodeURIComponent(projectKey)}/statuses`,
              method: 'GET',
            }),
            'project statuses',
          ).map((type) => ({ issueType: type.name, statuses: type.statuses.map((status) => status.name) })),
        projectKey,
      ),

    linkTypeNames: () =>
      call('list issue link types', async () =>
        (
          parse(
            linkTypesSchema,
            await client.sendRequest({ url: '/rest/api/3/issueLinkType', method: 'GET' }),
            'issue link types',
          ).issueLinkTypes ?? []
        ).map((type) => type.name ?? ''),
      ),

    probeSite: async () => {
      try {
        const info = serverInfoSchema.safeParse(
          await client.sendRequest({ url: '/rest/api/3/serverInfo', method: 'GET' }),
        );
        return { status: 200, ...(info.success ? info.data : {}) };
      } catch (error) {
        if (isApiError(error)) return { status: error.status };
        throw asJiraError(error, { action: 'reach the Jira site', email: settings.email });
      }
    },

    priorityNames: () =>
      call('list priorities', async () =>
        parse(
          prioritiesSchema,
          await client.sendRequest({ url: '/rest/api/3/priority', method: 'GET' }),
          'priorities',
        ).map((priority) => priority.name),
      ),

    readIssue: (key, fieldIds) =>
      call(`read ${key}`, async () =>
        parse(
          issueSnapshotSchema,
          await client.sendRequest({
            url: issuePath(key),
            method: 'GET',
            searchParams: { fields: fieldIds.join(',') },
          }),
          'get issue',
        ),
      ),

    editIssue: (key, fields) =>
      call(`update ${key}`, async () => {
        await client.sendRequest({ url: issuePath(key), method: 'PUT', body: { fields } });
      }),

    assignIssue: (key, accountId) =>
      call(`assign ${key}`, async () => {
        await client.sendRequest({ url: `${issuePath(key)}/assignee`, method: 'PUT', body: { accountId } });
      }),

    transitionsOf: (key) =>
      call(`list the transitions of ${key}`, async () => {
        const issue = parse(
          transitionsSchema,
          await client.sendRequest({
            url: issuePath(key),
            method: 'GET',
            searchParams: { fields: 'status', expand: 'transitions' },
          }),
          'transitions',
        );
        return {
          status: issue.fields.status.name,
          transitions: issue.transitions.map((transition) => ({
            id: transition.id,
            name: transition.name,
            to: transition.to?.name,
          })),
        };
      }),

    transitionIssue: (key, transitionId) =>
      call(`move ${key} through transition ${transitionId}`, async () => {
        await client.sendRequest({
          url: `${issuePath(key)}/transitions`,
          method: 'POST',
          body: { transition: { id: transitionId } },
        });
      }),

    fieldChangeTimes: (key, ignoreAuthor) =>
      call(`read the history of ${key}`, async () => {
        const page = async (startAt: number) =>
          parse(
            changelogPageSchema,
            await client.sendRequest({
              url: `${issuePath(key)}/changelog`,
              method: 'GET',
              searchParams: { startAt, maxResults: 100 },
            }),
            'changelog',
          );
        let newest = await page(0);
        if (newest.total > newest.values.length) newest = await page(Math.max(0, newest.total - 100));
        const times = new Map<string, Date>();
        for (const history of newest.values) {
          if (ignoreAuthor && history.author?.accountId === ignoreAuthor) continue;
          const at = jiraTime(history.created);
          for (const item of history.items) {
            const id = item.fieldId ?? item.field;
            const seen = id ? times.get(id) : undefined;
            if (id && (!seen || seen < at)) times.set(id, at);
          }
        }
        return times;
      }),

    linkIssues: (typeName, outwardKey, inwardKey) =>
      call(`link ${outwardKey} to ${inwardKey}`, async () => {
        await client.sendRequest({
          url: '/rest/api/2/issueLink',
          method: 'POST',
          body: {
            type: { name: typeName },
            outwardIssue: { key: outwardKey },
            inwardIssue: { key: inwardKey },
          },
        });
      }),

    accountInfo: (accountId) =>
      call('read a Jira user', async () =>
        parse(
          accountSchema,
          await client.sendRequest({ url: '/rest/api/3/user', method: 'GET', searchParams: { accountId } }),
          'user',
        ),
      ),
  };
}
