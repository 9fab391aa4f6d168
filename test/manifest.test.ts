import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/index.js';
import { defaultMapping } from '../src/config/defaultMapping.js';
import type { AppDeps } from '../src/deps.js';
import { listenerRouter } from '../src/slack/listeners/index.js';
import { OPEN_SHORTCUT } from '../src/slack/listeners/openFlow.js';
import { requiredBotScopes } from '../src/slack/scopes.js';

interface Manifest {
  _metadata: { major_version: number };
  display_information: { name: string; description: string };
  features: {
    slash_commands: { command: string; url: string }[];
    shortcuts: { callback_id: string; type: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { request_url: string; bot_events?: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

/** The Events API events the bot's listeners handle, as the flows register them. */
function handledEvents(): string[] {
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' });
  return listenerRouter({ config } as AppDeps).eventTypes();
}

describe('manifest.yml', () => {
  const manifest = parse(readFileSync('manifest.yml', 'utf8')) as Manifest;

  it('declares the command, the shortcut and every scope the bot uses', () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.features.slash_commands.map((command) => command.command)).toContain(
      defaultMapping.slack.command,
    );
    expect(manifest.features.shortcuts).toContainEqual(
      expect.objectContaining({ callback_id: OPEN_SHORTCUT, type: 'global' }),
    );
    for (const scope of requiredBotScopes) expect(manifest.oauth_config.scopes.bot).toContain(scope);
  });

  it('subscribes to exactly the events the listeners handle (Slack sends every subscribed one)', () => {
    const subscribed = manifest.settings.event_subscriptions?.bot_events ?? [];
    expect([...subscribed].sort()).toEqual(handledEvents().sort());
  });

  it('points every request URL at /slack/events', () => {
    const urls = [
      ...manifest.features.slash_commands.map((command) => command.url),
      ...(manifest.settings.event_subscriptions ? [manifest.settings.event_subscriptions.request_url] : []),
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/.+\/slack\/events$/);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
