import type { AppConfig, JiraFieldSpec } from '../config/index.js';
import type { JiraGateway } from '../jira/gateway.js';
import { attempt, unique, type CheckResult } from './result.js';

/** Every project the mapping can send a ticket or post-mortem to. */
function configuredProjects(config: AppConfig): string[] {
  const { jira, postMortem } = config.mapping;
  return unique([
    jira.projectKey,
    ...Object.values(jira.projectByFeatureTeam),
    ...Object.values(jira.projectByCategory),
    postMortem.projectKey,
  ]);
}

function configuredFieldIds(config: AppConfig): string[] {
  const specs: (JiraFieldSpec | null)[] = [
    ...Object.values(config.mapping.jira.fields),
    ...Object.values(config.mapping.postMortem.fields),
  ];
  return unique(specs.filter((spec): spec is JiraFieldSpec => spec !== null).map((spec) => spec.id));
}

/**
 * Jira against the mapping: the site first (network failures named once), then the credentials,
 * then every project, issue type, workflow status, field, priority and link type the mapping uses.
 */
export async function checkJira(config: AppConfig, jira: JiraGateway): Promise<CheckResult[]> {
  const results: CheckResult[] = await attempt('Jira site', async () => {
    const site = await jira.probeSite();
    const what = [site.deploymentType && `Jira ${site.deploymentType}`, site.version]
      .filter(Boolean)
      .join(' ');
    if (site.status === 404) {
      return {
        check: 'Jira site',
        ok: false,
        detail: `${jira.baseUrl} answered 404 to /rest/api/3/serverInfo: not a Jira site root (check JIRA_BASE_URL)`,
      };
    }
    if (site.status >= 500) {
      return { check: 'Jira site', ok: false, detail: `${jira.baseUrl} answered HTTP ${site.status}` };
    }
    return { check: 'Jira site', ok: true, detail: `${jira.baseUrl} reachable${what ? ` (${what})` : ''}` };
  });
  // Unreachable: every other check would only repeat it, so it is the one line.
  if (!results[0]!.ok) return results;
  const me = await attempt('Jira credentials', async () => {
    const user = await jira.myself();
    return {
      check: 'Jira credentials',
      ok: true,
      detail: `as ${user.displayName ?? user.accountId}${user.emailAddress ? ` (${user.emailAddress})` : ''}`,
    };
  });
  results.push(...me);
  if (!me[0]!.ok) return results; // nothing else can be read with bad credentials

  const { jira: jiraMapping, postMortem } = config.mapping;
  const visible: string[] = [];
  for (const key of configuredProjects(config)) {
    results.push(
      ...(await attempt(`Jira project ${key}`, async () => {
        const exists = await jira.projectExists(key);
        if (exists) visible.push(key);
        return {
          check: `Jira project ${key}`,
          ok: exists,
          detail: exists ? 'found' : `project ${key} not found or not visible to the bot`,
        };
      })),
    );
  }
  const ticketProjects = new Set([
    jiraMapping.projectKey,
    ...Object.values(jiraMapping.projectByFeatureTeam),
    ...Object.values(jiraMapping.projectByCategory),
  ]);
  for (const key of visible) {
    const forTickets = ticketProjects.has(key);
    const forPostMortems = key === postMortem.projectKey;
    const issueTypes = [
      ...(forTickets ? [jiraMapping.issueType] : []),
      ...(forPostMortems ? [postMortem.issueType] : []),
    ];
    const statuses = unique([
      ...(forTickets
        ? [...Object.values(jiraMapping.statusToJira), ...Object.keys(jiraMapping.statusFromJira)]
        : []),
      ...(forPostMortems ? [postMortem.readyStatus] : []),
    ]);
    results.push(
      ...(await attempt(`Jira issue types in ${key}`, async () => {
        const names = (await jira.issueTypeNames(key)).map((name) => name.toLowerCase());
        const missing = issueTypes.filter((name) => !names.includes(name.toLowerCase()));
        const detail = missing.length ? `missing: ${missing.join(', ')}` : issueTypes.join(', ');
        return { check: `Jira issue types in ${key}`, ok: missing.length === 0, detail };
      })),
      ...(await attempt(`Jira statuses in ${key}`, async () => {
        const known = new Set(
          (await jira.projectStatuses(key))
            .flatMap((type) => type.statuses)
            .map((name) => name.toLowerCase()),
        );
        const missing = statuses.filter((status) => !known.has(status.toLowerCase()));
        const detail = missing.length
          ? `not in the workflow: ${missing.join(', ')}`
          : `${statuses.length} mapped statuses found`;
        return { check: `Jira statuses in ${key}`, ok: missing.length === 0, detail };
      })),
    );
  }
  results.push(
    ...(await attempt('Jira custom fields', async () => {
      const existing = await jira.fieldIds();
      const missing = configuredFieldIds(config).filter((id) => !existing.has(id));
      return {
        check: 'Jira custom fields',
        ok: missing.length === 0,
        detail: missing.length
          ? `unknown field ids: ${missing.join(', ')}`
          : `${configuredFieldIds(config).length} mapped fields found`,
      };
    })),
  );
  if (jiraMapping.fields.priority.kind === 'jiraPriority') {
    results.push(
      ...(await attempt('Jira priorities', async () => {
        const names = (await jira.priorityNames()).map((name) => name.toLowerCase());
        const wanted = unique(Object.values(jiraMapping.priorityToJira));
        const missing = wanted.filter((name) => !names.includes(name.toLowerCase()));
        return {
          check: 'Jira priorities',
          ok: missing.length === 0,
          detail: missing.length
            ? `not priorities of this site: ${missing.join(', ')} (fix jira.priorityToJira)`
            : `${wanted.join(', ')} found`,
        };
      })),
    );
  }
  results.push(
    ...(await attempt('Jira link types', async () => {
      const names = (await jira.linkTypeNames()).map((name) => name.toLowerCase());
      const usable = postMortem.linkTypes.filter((type) => names.includes(type.toLowerCase()));
      return {
        check: 'Jira link types',
        ok: usable.length > 0,
        detail: usable.length
          ? `will use ${usable[0]}${usable.length < postMortem.linkTypes.length ? ` (not found: ${postMortem.linkTypes.filter((t) => !usable.includes(t)).join(', ')})` : ''}`
          : `none of ${postMortem.linkTypes.join(', ')} exists`,
      };
    })),
  );
  return results;
}
