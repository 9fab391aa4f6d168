import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsDrained } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal } from '../support/openFlowPayloads.js';
import { postSigned, slashCommandBody } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let harness: TestBot;
beforeAll(async () => {
  db = await createTestDatabase();
  const mapping = writeMappingFile({
    lifecycle: { statusChangers: 'commander-and-group', statusUserGroupId: 'S0INCTEAM' },
  });
  harness = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping });
  harness.slack.on('usergroups.users.list', (args) =>
    args.usergroup === 'S0INCTEAM'
      ? { ok: true, users: ['U0TEAMMATE'] }
      : { ok: false, error: 'no_such_subteam' },
  );
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});

describe('who may change status and close (lifecycle.statusChangers)', () => {
  it('commander-and-group: someone else in the channel gets an ephemeral explanation; the group may', async () => {
    const incident = await declareThroughModal(harness, db.prisma, 'V0PERM', 3, { customers_impact: 'MD' });
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const channel = await db.prisma.slackChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    const close = async (userId: string) => {
      const path = `response/perm-${userId}`;
      await postSigned(
        harness.baseUrl,
        slashCommandBody({
          text: 'close',
          channel_id: channel.channelId,
          user_id: userId,
          response_url: `${harness.slack.url}/${path}`,
        }),
      );
      const [reply] = await harness.slack.waitFor(path);
      return String(reply!.args.text);
    };
    expect(await close('U0BYSTANDER')).toContain('You may not change the status');
    // A teammate from the group gets past the permission check (to the closing form: never mitigated).
    await postSigned(
      harness.baseUrl,
      slashCommandBody({ text: 'close', channel_id: channel.channelId, user_id: 'U0TEAMMATE' }),
    );
    const [opened] = await harness.slack.waitFor('views.open');
    expect(String(opened!.args.view)).toContain('close_with_reason');
  });

  it('someone outside cannot make themselves commander to get the right (roles and priority need it too)', async () => {
    const incident = await declareThroughModal(harness, db.prisma, 'V0GRAB', 3, { customers_impact: 'MD' });
    const { updateSubmission } = await import('../support/updatePayloads.js');
    const { interactiveBody } = await import('../support/slackRequests.js');
    const form = {
      status: 'OPEN',
      priority: 3,
      title: 'Checkout returns HTTP 500',
      description: 'Customers cannot pay since 10:02, error rate 40%.',
      category: 'Payment',
      environments: ['PRD'],
      commander: 'U0BYSTANDER',
    };
    const updates = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: { notIn: ['KEY_EVENT', 'NOTE'] } },
    });
    const response = await postSigned(
      harness.baseUrl,
      interactiveBody(updateSubmission(incident.id, updates, form, { id: 'U0BYSTANDER' })),
    );
    const body = (await response.json()) as { errors: Record<string, string> };
    expect(body.errors.status).toContain('You may not change the status, priority or roles');
    const commander = await db.prisma.role.findFirstOrThrow({
      where: { incidentId: incident.id, roleType: { slug: 'commander' } },
      include: { user: true },
    });
    expect(commander.user.slackUserId).toBe('U0REPORTER');
  });

  it('taking production off a P1–P2 (or putting it on) decides whether a post-mortem is owed: the same right', async () => {
    const incident = await declareThroughModal(harness, db.prisma, 'V0PERMENV', 1, { business_impact: 'HT' });
    await jobsDrained(db.prisma, ['create_incident_channel']);
    const { updateSubmission } = await import('../support/updatePayloads.js');
    const { interactiveBody } = await import('../support/slackRequests.js');
    const form = {
      status: 'OPEN',
      priority: 1,
      title: 'Checkout returns HTTP 500',
      description: 'Customers cannot pay since 10:02, error rate 40%.',
      category: 'Payment',
      environments: ['STG'],
      commander: 'U0REPORTER',
    };
    const updates = await db.prisma.incidentUpdate.count({
      where: { incidentId: incident.id, eventType: { notIn: ['KEY_EVENT', 'NOTE'] } },
    });
    const submit = (user: string) =>
      postSigned(
        harness.baseUrl,
        interactiveBody(updateSubmission(incident.id, updates, form, { id: user })),
      );
    const refused = (await (await submit('U0BYSTANDER')).json()) as { errors: Record<string, string> };
    expect(refused.errors.environments).toContain('decides whether this incident needs a post-mortem');
    const environments = await db.prisma.incidentEnvironment.findMany({
      where: { incidentId: incident.id },
      include: { environment: true },
    });
    expect(environments.map((link) => link.environment.value)).toEqual(['PRD']);

    expect(await (await submit('U0TEAMMATE')).json()).toEqual({ response_action: 'clear' });
  });
});
