import type { WebClient } from '@slack/web-api';
import type { Mapping } from '../config/index.js';
import { classifyNetworkFailure } from '../networkFailure.js';
import { requiredBotScopes } from '../slack/scopes.js';
import { asSlackError, slackErrorCode } from '../slack/slackErrors.js';
import type { CheckResult } from './result.js';

/** The channels the mapping names, by their mapping key (what the operator edits). */
const channelKeys = ['incidentsChannelId', 'alertChannelId', 'alertChannelHighId'] as const;

interface ChannelInfo {
  name?: string;
  is_private?: boolean;
  is_archived?: boolean;
  is_member?: boolean;
}

/**
 * Can the bot post where the mapping sends announcements? A member can; a non-member can post
 * in a public channel only with chat:write.public; a private channel needs an invitation.
 */
async function checkChannel(
  slack: WebClient,
  key: (typeof channelKeys)[number],
  id: string,
  granted: Set<string> | undefined,
): Promise<CheckResult> {
  const check = `Slack channel ${key}`;
  let channel: ChannelInfo;
  try {
    channel = ((await slack.conversations.info({ channel: id })).channel ?? {}) as ChannelInfo;
  } catch (error) {
    const code = slackErrorCode(error);
    const detail =
      code === 'channel_not_found'
        ? `${id}: not found, or a private channel the bot is not in (invite it there, or fix slack.${key})`
        : code === 'missing_scope'
          ? `${id}: cannot read it (missing channels:read/groups:read; reinstall the app from manifest.yml)`
          : `${id}: ${asSlackError(error, 'conversations.info').userMessage}`;
    return { check, ok: false, detail };
  }
  const label = `#${channel.name ?? '?'} (${id})`;
  if (channel.is_archived) return { check, ok: false, detail: `${label} is archived: pick another channel` };
  if (channel.is_member) return { check, ok: true, detail: `${label}: the bot is a member` };
  if (channel.is_private) {
    return { check, ok: false, detail: `${label} is private and the bot is not in it: /invite the bot` };
  }
  if (!granted) {
    return {
      check,
      ok: true,
      detail: `${label}: not a member; posts rely on chat:write.public (Slack did not report scopes)`,
    };
  }
  return granted.has('chat:write.public')
    ? { check, ok: true, detail: `${label}: not a member; can post with chat:write.public` }
    : {
        check,
        ok: false,
        detail: `${label}: not a member and chat:write.public is not granted: /invite the bot or reinstall the app`,
      };
}

/** Slack install: the token, its scopes, and every channel the mapping posts to. */
export async function checkSlack(slack: WebClient, mapping: Mapping): Promise<CheckResult[]> {
  let granted: Set<string> | undefined;
  const results: CheckResult[] = [];
  try {
    const auth = await slack.auth.test();
    const scopes = (auth.response_metadata as { scopes?: string[] } | undefined)?.scopes ?? [];
    granted = scopes.length > 0 ? new Set(scopes) : undefined;
    results.push({
      check: 'Slack auth',
      ok: true,
      detail: `bot ${auth.user ?? auth.user_id} in ${auth.team ?? auth.team_id}`,
    });
  } catch (error) {
    const failure = classifyNetworkFailure(error);
    const detail = failure
      ? `Slack unreachable: ${failure.detail} (check SLACK_API_URL and the network)`
      : asSlackError(error, 'auth.test').userMessage;
    return [{ check: 'Slack auth', ok: false, detail }]; // nothing else can be asked without it
  }
  if (granted) {
    const missing = requiredBotScopes.filter((scope) => !granted!.has(scope));
    results.push({
      check: 'Slack scopes',
      ok: missing.length === 0,
      detail: missing.length
        ? `missing: ${missing.join(', ')} (reinstall the app from manifest.yml)`
        : 'all granted',
    });
  } else {
    results.push({ check: 'Slack scopes', ok: true, detail: 'not reported by Slack; not checked' });
  }
  for (const key of channelKeys) {
    const id = mapping.slack[key];
    if (id) results.push(await checkChannel(slack, key, id, granted));
  }
  return results;
}
