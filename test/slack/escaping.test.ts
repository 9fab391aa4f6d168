import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsDrained } from '../support/jobs.js';
import { writeMappingFile } from '../support/mappingFile.js';
import { declareThroughModal, detailsSubmission, impactsSubmission } from '../support/openFlowPayloads.js';
import { interactiveBody, postSigned } from '../support/slackRequests.js';
import { startTestBot, type TestBot } from '../support/testBot.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** Everything a hostile title can try in Slack mrkdwn. */
const HOSTILE = 'Pay <!channel> <@U0BOSS> <https://evil.example|click> & co';
const LIVE = ['<!channel>', '<@U0BOSS>', '<https://evil.example|click>'];

let db: TestDatabase;
let harness: TestBot;
beforeAll(async () => {
  db = await createTestDatabase();
  const mapping = writeMappingFile({
    slack: { incidentsChannelId: 'C0INCIDENTS', alertChannelId: 'C0ALERTS' },
  });
  harness = await startTestBot({ DATABASE_URL: db.url, INCIDENT_BOT_CONFIG: mapping });
});
afterAll(async () => {
  await harness.stop();
  await db.drop();
});

/** Every string Slack parses as mrkdwn: the top-level `text` (notifications) and mrkdwn text objects. */
function mrkdwnIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => mrkdwnIn(item, out));
  else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (object.type === 'mrkdwn' && typeof object.text === 'string') out.push(object.text);
    Object.values(object).forEach((item) => mrkdwnIn(item, out));
  }
  return out;
}
const shown = () =>
  harness.slack.calls
    .filter((call) => ['chat.postMessage', 'chat.update', 'conversations.setTopic'].includes(call.method))
    .flatMap((call) => [
      String(call.args.text ?? call.args.topic),
      ...mrkdwnIn(JSON.parse(String(call.args.blocks ?? '[]'))),
    ]);

describe('user text is escaped everywhere Slack shows it', () => {
  it('P1 (channel, announcement, incidents channel) and P4 (DM, alert channel): no live mention or link', async () => {
    await declareThroughModal(
      harness,
      db.prisma,
      'V0HOSTILE1',
      1,
      { business_impact: 'HT' },
      {
        title: HOSTILE,
        description: `${HOSTILE}\nsecond line`,
      },
    );
    await declareThroughModal(
      harness,
      db.prisma,
      'V0HOSTILE4',
      4,
      { employees_impact: 'LO' },
      {
        title: HOSTILE,
        description: HOSTILE,
        featureTeam: 'Platform',
      },
    );
    await jobsDrained(db.prisma, ['create_incident_channel', 'notify_normal_incident']);
    const texts = shown();
    const channels = harness.slack.callsTo('chat.postMessage').map((call) => call.args.channel);
    expect(channels).toEqual(expect.arrayContaining(['C0INCIDENTS', 'C0ALERTS', 'U0REPORTER']));
    expect(texts.length).toBeGreaterThanOrEqual(4);
    for (const text of texts) {
      for (const live of LIVE) expect(text).not.toContain(live);
    }
    const withTitle = texts.filter((text) => text.includes('Pay &lt;!channel&gt;'));
    expect(withTitle.length).toBeGreaterThanOrEqual(4);
    expect(texts.join('\n')).toContain('&lt;https://evil.example|click&gt; &amp; co');
  });

  it('the past-hour warning in the modal is escaped too', async () => {
    const response = await postSigned(
      harness.baseUrl,
      interactiveBody(impactsSubmission({ business_impact: 'HT' })),
    );
    const texts = mrkdwnIn(await response.json());
    expect(texts.join('\n')).toContain('Pay &lt;!channel&gt;');
    for (const text of texts) expect(text).not.toContain('<!channel>');
  });
});

describe('control characters are refused in the modal, as field errors', () => {
  it.each([
    ['title', { title: 'Checkout \u0000 is down' }, 'U+0000'],
    ['title', { title: 'Refund \u202Egnp.exe failing' }, 'U+202E'],
    ['description', { description: 'Customers cannot pay \u001b[31m since 10:02' }, 'U+001B'],
  ])('%s with %j', async (field, details, code) => {
    const response = await postSigned(
      harness.baseUrl,
      interactiveBody(detailsSubmission(`V0CTRL${code}`, 2, { customers_impact: 'HI' }, details)),
    );
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors[field]).toContain(code);
    expect(await db.prisma.incident.count({ where: { declareKey: `view:V0CTRL${code}` } })).toBe(0);
  });
});
