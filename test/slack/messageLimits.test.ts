import { describe, expect, it } from 'vitest';
import type { IncidentCard } from '../../src/db/repositories/incidentCard.js';
import { SECTION_TEXT_MAX, mrkdwn } from '../../src/slack/escape.js';
import {
  incidentAnnouncement,
  incidentsChannelNotice,
  reporterNotice,
} from '../../src/slack/messages/incidentAnnouncement.js';
import { incidentUpdateMessage } from '../../src/slack/messages/incidentUpdate.js';

/**
 * Slack refuses a whole message whose section text is over 3,000 characters (`invalid_blocks`,
 * a permanent error: the announcement would never post or update again). Escaping makes `&`
 * five characters long, so limits must hold after it: a summary of 1,200 `&` is 6,000.
 */
const ampersands = (count: number) => '&'.repeat(count);

const card = (overrides: Partial<IncidentCard> = {}): IncidentCard => ({
  id: 42,
  title: ampersands(255), // a Jira summary can be 255 characters
  description: ampersands(1200),
  status: 'INVESTIGATING',
  priority: { value: 1, name: 'P1', emoji: ':red_circle:', description: 'Critical' },
  category: { name: 'Payment', group: 'Commerce', isPrivate: false },
  environments: ['PRD'],
  platforms: ['web'],
  featureTeam: null,
  reporterId: 1,
  reporterSlackId: 'U0REPORTER',
  reporterName: 'Reporter',
  customFields: {},
  commanderSlackId: 'U0COMMANDER',
  createdAt: new Date('2026-12-02T08:00:00Z'),
  businessImpact: null,
  jira: { key: 'INC-1', url: 'https://example.atlassian.net/browse/INC-1' },
  postMortem: null,
  channel: { id: 'C0INCIDENT', name: 'inc-42' },
  incidentUrl: null,
  ...overrides,
});

const sectionTexts = (blocks: unknown[]) =>
  blocks.flatMap((block) => {
    const section = block as { type: string; text?: { text: string }; fields?: { text: string }[] };
    if (section.type !== 'section') return [];
    return [
      ...(section.text ? [section.text.text] : []),
      ...(section.fields ?? []).map((field) => field.text),
    ];
  });

/** No escape sequence cut in half (`&am…`), no raw `&` left. */
const wellEscaped = (text: string) => !/&(?!amp;|lt;|gt;)/.test(text);

describe('message limits hold after escaping', () => {
  it.each([
    ['the pinned announcement', incidentAnnouncement],
    ['the incidents-channel line', incidentsChannelNotice],
    ['the reporter DM of a P4–P5', reporterNotice],
  ])('%s: a 1,200-character summary of & fits its section, cut on a whole character', (_name, present) => {
    for (const text of sectionTexts(present(card()).blocks)) {
      expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_MAX);
      expect(wellEscaped(text)).toBe(true);
    }
  });

  it('an update changing title and summary at once, with a long message, fits its section', () => {
    const message = incidentUpdateMessage({
      lines: [
        { field: 'title', fromValue: ampersands(255), toValue: `<!channel> ${ampersands(250)}` },
        { field: 'description', fromValue: 'old', toValue: ampersands(1200) },
        { field: 'status', fromValue: 'INVESTIGATING', toValue: 'MITIGATING' },
      ],
      message: ampersands(2000),
      authorSlackId: 'U0EDITOR',
      origin: 'SLACK',
    });
    const [section] = sectionTexts(message.blocks);
    expect(section!.length).toBeLessThanOrEqual(SECTION_TEXT_MAX);
    expect(wellEscaped(section!)).toBe(true);
    expect(section).toContain('&lt;!channel&gt;');
    expect(section).toContain('by <@U0EDITOR>');
  });

  it('ordinary text is not cut: a plain 1,200-character summary update is said whole', () => {
    const summary = 'x'.repeat(1200);
    const message = incidentUpdateMessage({
      lines: [{ field: 'description', fromValue: 'old', toValue: summary }],
      message: null,
      authorSlackId: 'U0EDITOR',
      origin: 'SLACK',
    });
    expect(sectionTexts(message.blocks)[0]).toContain(summary);
  });

  it('mrkdwn(text, max) cuts the escaped text, never inside an entity or a character', () => {
    expect(mrkdwn('a&b', 5)).toBe('a…');
    expect(mrkdwn('<<<', 9)).toBe('&lt;&lt;…');
    expect(mrkdwn('👍🏽👍🏽', 5)).toBe('👍🏽…');
    expect(mrkdwn('short', 100)).toBe('short');
  });
});
