import { fixtureJson } from './fixtures.js';
import { interactiveBody, postSigned } from './slackRequests.js';

/** view_submission payloads of the open flow, shaped like shared/fixtures/slack/view_submission.json. */
export const reporter = { id: 'U0REPORTER', username: 'sample.user', name: 'sample.user', team_id: 'T0TEST' };

const select = (value: string | null) => ({
  type: 'static_select',
  selected_option: value ? { text: { type: 'plain_text', text: value }, value } : null,
});
const multi = (values: string[]) => ({
  type: 'multi_static_select',
  selected_options: values.map((value) => ({ text: { type: 'plain_text', text: value }, value })),
});
const text = (value: string | null) => ({ type: 'plain_text_input', value });

/** The real view_submission capture (fixtures/slack/view_submission.json) carrying our view. */
function submission(view: Record<string, unknown>, user = reporter) {
  const base = fixtureJson<Record<string, unknown> & { view: Record<string, unknown> }>(
    'slack/view_submission.json',
  );
  return {
    ...base,
    team: { id: 'T0TEST', domain: 'example-workspace' },
    user,
    view: { ...base.view, blocks: [], hash: 'h', ...view },
  };
}

export function impactsSubmission(levels: Record<string, string | null>) {
  const values: Record<string, Record<string, unknown>> = {};
  for (const slug of ['business_impact', 'sellers_impact', 'customers_impact', 'employees_impact']) {
    values[`impact_${slug}`] = { impact_level: select(levels[slug] ?? null) };
  }
  return submission({
    id: 'V0IMPACTS',
    callback_id: 'open_incident_impacts',
    private_metadata: '{}',
    state: { values },
  });
}

export interface Details {
  title?: string | null;
  description?: string | null;
  category?: string | null;
  environments?: string[];
  platforms?: string[];
  featureTeam?: string | null;
  customerTicketId?: string | null;
}

export function detailsSubmission(
  viewId: string,
  priority: number,
  impacts: Record<string, string>,
  details: Details = {},
) {
  const values: Record<string, Record<string, unknown>> = {
    title: { value: text('title' in details ? (details.title ?? null) : 'Checkout returns HTTP 500') },
    description: {
      value: text(
        'description' in details
          ? (details.description ?? null)
          : 'Customers cannot pay since 10:02, error rate 40%.',
      ),
    },
    category: { value: select(details.category === undefined ? 'Payment' : details.category) },
    environments: { value: multi(details.environments ?? ['PRD']) },
    platforms: { value: multi(details.platforms ?? ['platform-All']) },
  };
  if (priority >= 4) values.featureTeam = { value: select(details.featureTeam ?? null) };
  if ('customerTicketId' in details)
    values.customerTicketId = { value: text(details.customerTicketId ?? null) };
  return submission({
    id: viewId,
    callback_id: 'open_incident_details',
    private_metadata: JSON.stringify({ impacts, priority }),
    state: { values },
  });
}

/** Submit the details step through the signed receiver; returns the incident it declared. */
export async function declareThroughModal(
  harness: { baseUrl: string },
  prisma: {
    incident: {
      findUniqueOrThrow(args: { where: { declareKey: string } }): Promise<{ id: number; createdAt: Date }>;
    };
  },
  viewId: string,
  priority: number,
  impacts: Record<string, string>,
  details: Details = {},
) {
  const response = await postSigned(
    harness.baseUrl,
    interactiveBody(detailsSubmission(viewId, priority, impacts, details)),
  );
  const body = (await response.json()) as unknown;
  if (JSON.stringify(body) !== JSON.stringify({ response_action: 'clear' })) {
    throw new Error(`declare was refused: ${JSON.stringify(body)}`);
  }
  return prisma.incident.findUniqueOrThrow({ where: { declareKey: `view:${viewId}` } });
}

type Action = Record<string, unknown>;

/** A block_actions from inside a modal: the real capture (fixtures/slack/block_actions-in-modal.json) with our view and action. */
export function modalBlockAction(view: Record<string, unknown>, action: Action) {
  const base = fixtureJson<Record<string, unknown>>('slack/block_actions-in-modal.json');
  return {
    ...base,
    team: { id: 'T0TEST', domain: 'example-workspace' },
    user: reporter,
    container: { type: 'view', view_id: view.id },
    view,
    actions: [{ action_ts: '1', ...action }],
  };
}

/** A block_actions from a message: the real capture (fixtures/slack/block_actions-button-in-message.json) with our action. */
export function messageBlockAction(channelId: string, responseUrl: string, action: Action) {
  const base = fixtureJson<Record<string, unknown>>('slack/block_actions-button-in-message.json');
  return {
    ...base,
    team: { id: 'T0TEST', domain: 'example-workspace' },
    user: reporter,
    container: { type: 'message', message_ts: '1.2', channel_id: channelId, is_ephemeral: true },
    channel: { id: channelId, name: 'general' },
    response_url: responseUrl,
    actions: [{ action_ts: '1', ...action }],
  };
}
