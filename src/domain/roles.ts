/** Incident roles. The creator of an incident becomes its commander. */
export const roleTypes = [
  {
    slug: 'commander',
    name: 'Incident Commander',
    emoji: '🧑‍🚒',
    description: 'Leads the response and owns the incident',
    required: true,
    order: 1,
  },
  {
    slug: 'communication_lead',
    name: 'Communication Lead',
    emoji: '📣',
    description: 'Keeps stakeholders informed',
    required: false,
    order: 2,
  },
] as const;

export type RoleSlug = (typeof roleTypes)[number]['slug'];
