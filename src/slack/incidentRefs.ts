/** Incident ids as Slack sends them back (picker values, button values), and the answer for ones not shown. */

/** The same answer for an incident that does not exist and one the viewer may not see. */
export const notVisible = (incidentId: number | string) =>
  `:x: Incident #${incidentId} does not exist or is private to its members.`;

/** An incident id as a picker or a button sends it: a positive int4, else nothing. */
export function parseIncidentId(value: string | undefined): number | undefined {
  if (!value || !/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id >= 1 && id <= 2_147_483_647 ? id : undefined;
}
