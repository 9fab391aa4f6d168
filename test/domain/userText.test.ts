import { describe, expect, it } from 'vitest';
import { parseDeliveryJson } from '../../src/sync/inbound/deliveryPayload.js';
import { firstUnsafeCharacter, stripUnsafe, truncateText } from '../../src/domain/userText.js';
import { wikiEscape } from '../../src/jira/wiki.js';
import { mrkdwn, plainText } from '../../src/slack/escape.js';
import { renderTemplate } from '../../src/templates/renderer.js';

describe('unsafe characters', () => {
  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['escape', 'a\u001b[31mb', 'U+001B'],
    ['C1 control', 'a\u0085b', 'U+0085'],
    ['right-to-left override', 'invoice\u202Egnp.exe', 'U+202E'],
    ['left-to-right isolate', 'a\u2066b', 'U+2066'],
  ])('%s is found and stripped', (_name, text, code) => {
    expect(firstUnsafeCharacter(text)).toBe(code);
    expect(firstUnsafeCharacter(stripUnsafe(text))).toBeUndefined();
  });

  it('tabs, new lines and ordinary Unicode are fine', () => {
    expect(firstUnsafeCharacter('Line 1\n\tLine 2 — café 🔥 日本')).toBeUndefined();
  });
});

describe('truncation by grapheme', () => {
  it('never cuts an emoji, a flag or an accented letter in half', () => {
    const family = '👨‍👩‍👧‍👦';
    const cut = truncateText(`ab${family}cd`, 5);
    expect(cut).toBe('ab…');
    expect(truncateText('🇫🇷🇫🇷🇫🇷', 5)).toBe('🇫🇷…');
    expect(truncateText('e\u0301e\u0301e\u0301', 4)).toBe('e\u0301…');
    expect(truncateText('short', 10)).toBe('short');
    for (const text of [cut, truncateText('🇫🇷🇫🇷🇫🇷', 5)]) expect(Buffer.from(text).toString()).toBe(text);
  });
});

describe('Slack escaping', () => {
  it('mrkdwn neutralises mentions, broadcasts and links, and drops unsafe characters', () => {
    expect(mrkdwn('<!channel> <@U123> <https://x.example|click> & \u202Eok')).toBe(
      '&lt;!channel&gt; &lt;@U123&gt; &lt;https://x.example|click&gt; &amp; ok',
    );
  });
  it('plain text is shown literally and cut to the limit', () => {
    expect(plainText('<!here> a\u0000b', 7)).toBe('<!here…');
    expect(plainText('<!here> a\u0000b')).toBe('<!here> ab');
  });
});

describe('Jira wiki escaping', () => {
  it.each([
    ['images', '!https://evil.example/x.png!', '\\!https://evil.example/x.png\\!'],
    ['links', '[click|https://evil.example]', '\\[click\\|https://evil.example\\]'],
    ['macros', '{code}x{code}', '\\{code\\}x\\{code\\}'],
    ['bold and italics', '*a* _b_', '\\*a\\* \\_b\\_'],
    [
      'strike, underline, super/subscript, citation',
      '-a- +b+ ^c^ ~d~ ??e??',
      '\\-a\\- \\+b\\+ \\^c\\^ \\~d\\~ \\?\\?e\\?\\?',
    ],
    ['a ruler', '----', '\\-\\-\\-\\-'],
    ['numbered lists', '# one', '\\# one'],
    ['headings at a line start', 'intro\nh1. Big\n  bq. quote', 'intro\n&#104;1. Big\n  &#98;q. quote'],
    ['backslashes (never a forced line break)', 'C:\\\\temp\\x', 'C:&#92;&#92;temp&#92;x'],
    ['control characters', 'a\u0000b', 'ab'],
    [
      'text Jira would read as an entity',
      'R&amp;D &lt;b&gt; &#92;',
      'R&amp;amp;D &amp;lt;b&amp;gt; &amp;\\#92;',
    ],
    ['an ampersand in plain text stays', 'R&D, Q&A', 'R&D, Q&A'],
    [
      'emoticons',
      'items (i) and (y) and (flag) but (ii) stays',
      'items \\(i) and \\(y) and \\(flag) but (ii) stays',
    ],
    ['smileys', 'fixed :) but :(, ;) and :P', 'fixed &#58;) but &#58;(, &#59;) and &#58;P'],
    ['a backslash before a paren is never read as a smiley', '\\)', '&#92;)'],
    ['identifiers and words stay readable', 'ZD-77 snake_case e-mail 12:30', 'ZD-77 snake_case e-mail 12:30'],
  ])('%s', (_name, input, expected) => {
    expect(wikiEscape(input)).toBe(expected);
  });

  it('the ticket template escapes user text but keeps its own markup', () => {
    const text = renderTemplate('jira/ticket_description', {
      critical: true,
      category: 'Payment',
      priority: { emoji: '🔥', name: 'P1' },
      description: 'h1. Hacked\n!https://evil.example/x.png!',
      incidentId: 7,
      incidentUrl: null,
      environments: ['PRD'],
      platforms: ['web'],
      featureTeam: null,
      reporter: '*boss*',
      extra: [],
    });
    expect(text).toContain('&#104;1. Hacked\n\\!https://evil.example/x.png\\!');
    expect(text).toContain('h3. Additional Information');
    expect(text).toContain('Reported by: \\*boss\\*');
  });
});

describe('parseDeliveryJson (a webhook body)', () => {
  it.each([
    ['a NUL escape', '{"summary":"a\\u0000b"}', 'a\uFFFDb'],
    ['a lone high surrogate escape', '{"summary":"a\\ud83db"}', 'a\uFFFDb'],
    ['a lone low surrogate escape, upper case', '{"summary":"a\\uDE00b"}', 'a\uFFFDb'],
    ['an escaped emoji pair (kept)', '{"summary":"a\\ud83d\\ude00b"}', 'a😀b'],
    ['a raw emoji (kept)', '{"summary":"a😀b"}', 'a😀b'],
    ['nothing to clean', '{"summary":"plain"}', 'plain'],
    ['an escaped backslash before u0000 (text, kept)', '{"summary":"a\\\\u0000b"}', 'a\\u0000b'],
  ])('%s', (_name, body, summary) => {
    expect(parseDeliveryJson(body)).toEqual({ summary });
  });
});
