import type { Mapping } from './mappingSchema.js';

/**
 * Shipped defaults: they reproduce the reference system (FireFighter) — its status maps,
 * priority field, custom-field roles and categories. A mapping file overrides any part of this
 * (objects are merged key by key, lists are replaced whole). See mapping.example.yml.
 */
export const defaultMapping: Mapping = {
  slack: {
    command: '/incident',
    aliases: [],
    incidentsChannelId: null,
    alertChannelId: null,
    alertChannelHighId: null,
    responders: [],
    respondersByCategory: {},
    admins: [],
    incidentUrlTemplate: null,
  },
  jira: {
    projectKey: 'INC',
    issueType: 'Incident',
    projectByFeatureTeam: {},
    projectByCategory: {},
    fallbackReporterAccountId: null,
    labels: ['incident'],
    fields: {
      priority: { id: 'customfield_11064', kind: 'option' },
      environments: { id: 'customfield_11049', kind: 'options' },
      platforms: { id: 'customfield_10201', kind: 'options' },
      businessImpact: { id: 'customfield_10936', kind: 'option' },
      category: null,
      featureTeam: null,
      customerTicketId: null,
      sellerContractId: null,
      sellerTicketId: null,
    },
    businessImpactValues: { HT: 'Highest', HI: 'High', MD: 'Medium', LO: 'Low', LT: 'Lowest' },
    statusToJira: {
      OPEN: 'Incoming',
      INVESTIGATING: 'in progress',
      MITIGATING: 'in progress',
      MITIGATED: 'Reporter validation',
      POST_MORTEM: 'Reporter validation',
      CLOSED: 'Closed',
    },
    statusFromJira: {
      Incoming: 'OPEN',
      'Pending resolution': 'OPEN',
      'in progress': 'MITIGATING',
      'Reporter validation': 'MITIGATED',
      Closed: 'CLOSED',
    },
    terminalStatuses: ['Closed'],
    priorityNames: { Highest: 1, High: 2, Medium: 3, Low: 4, Lowest: 5 },
  },
  postMortem: {
    projectKey: 'INC',
    issueType: 'Post-mortem',
    readyStatus: 'Ready',
    linkTypes: ['Relates', 'Blocks', 'Relates to'],
    dueBusinessDays: 40,
    fields: {
      incidentSummary: { id: 'customfield_12699', kind: 'text' },
      timeline: { id: 'customfield_12700', kind: 'text' },
      rootCauses: { id: 'customfield_12701', kind: 'text' },
      impact: { id: 'customfield_12702', kind: 'text' },
      mitigationActions: { id: 'customfield_12703', kind: 'text' },
      incidentCategory: { id: 'customfield_12369', kind: 'option' },
    },
  },
  catalog: {
    environments: [
      { value: 'PRD', name: 'Production', default: true },
      { value: 'STG', name: 'Staging', default: false },
      { value: 'INT', name: 'Integration', default: false },
    ],
    platforms: [
      { value: 'platform-All', default: true },
      { value: 'platform-FR', default: false },
      { value: 'platform-DE', default: false },
      { value: 'platform-IT', default: false },
      { value: 'platform-ES', default: false },
      { value: 'platform-UK', default: false },
      { value: 'platform-Internal', default: false },
    ],
    featureTeams: ['Payments', 'Checkout', 'Catalog', 'Search', 'Seller Experience', 'Platform'],
    groups: [
      {
        name: 'Customer journey',
        categories: [
          { name: 'Payment', private: false },
          { name: 'Checkout', private: false },
          { name: 'Search', private: false },
          { name: 'Catalog', private: false },
        ],
      },
      {
        name: 'Sellers',
        categories: [
          { name: 'Seller Portal', private: false },
          { name: 'Orders', private: false },
        ],
      },
      {
        name: 'Platform',
        categories: [
          { name: 'Infrastructure', private: false },
          { name: 'Database', private: false },
          { name: 'Network', private: false },
        ],
      },
      {
        name: 'Security',
        categories: [
          { name: 'Personal Data Breach', private: true },
          { name: 'System Compromise', private: true },
        ],
      },
      { name: 'Other', categories: [{ name: 'Other', private: false }] },
    ],
  },
};
