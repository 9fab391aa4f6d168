/**
 * Paths that only ever belong to Jira's web pages (or to its REST API itself), never to the
 * base URL the REST client needs. Jira Server/Data Center may live under a context path such as
 * /jira, so a path alone is not wrong; these markers are.
 */
const pageMarkers = [
  /\/browse\//,
  /\/jira\/(software|servicedesk|core|your-work|for-you|dashboards|projects|people|plans|issues|filters|settings)(\/|$)/,
  /\/projects\/[^/]+/,
  /\/secure\//,
  /\/issues(\/|$)/,
  /\/plugins\/servlet\//,
  /\/wiki(\/|$)/,
  /\/rest\//,
  /\/RapidBoard\.jspa/,
];

/**
 * When a Jira base URL is a page copied from the browser (a board, an issue, a project), the
 * site root to use instead; undefined when the URL looks like a site root already. On Jira
 * Cloud (*.atlassian.net) any path is a page: the root is the origin.
 */
export function jiraSiteRootFor(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  const pathname = url.pathname.replace(/\/+$/, '');
  if (pathname === '' && !url.search && !url.hash) return undefined;
  if (url.hostname.endsWith('.atlassian.net')) return url.origin;
  const cut = pageMarkers
    .map((marker) => marker.exec(pathname)?.index)
    .filter((index): index is number => index !== undefined)
    .sort((a, b) => a - b)[0];
  return cut === undefined ? undefined : `${url.origin}${pathname.slice(0, cut)}`;
}
