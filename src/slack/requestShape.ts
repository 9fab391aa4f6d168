import { parse as parseQueryString } from 'node:querystring';
import { z } from 'zod';

/**
 * The minimal shape of every Slack request body Bolt is handed. Bolt trusts signed bodies and
 * throws outside its own error handling on some shapes (a body that parses to `null` killed the
 * process), so anything else is answered 400 before it reaches Bolt.
 */
const user = z.object({ id: z.string().min(1) }).loose();
/**
 * Fields Bolt dereferences when present (`body.channel.id`, `'channel' in event.item`,
 * `authorizations[0].team_id`): absent is fine, but `null` or a string there throws inside Bolt
 * and answers 500 (found by fuzzing).
 */
const objectIfPresent = z.object({}).loose().optional();
const channel = objectIfPresent;

const interactive = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('block_actions'),
      user,
      channel,
      actions: z.array(z.object({}).loose()).min(1),
    })
    .loose(),
  z
    .object({
      type: z.enum(['view_submission', 'view_closed']),
      user,
      view: z.object({ id: z.string(), callback_id: z.string() }).loose(),
    })
    .loose(),
  z.object({ type: z.enum(['shortcut', 'message_action']), user, channel, callback_id: z.string() }).loose(),
  z.object({ type: z.literal('block_suggestion'), user, channel, action_id: z.string() }).loose(),
]);

const slashCommand = z
  .object({ command: z.string().regex(/^\//), user_id: z.string().min(1), text: z.string().optional() })
  .loose();

const eventsApi = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string() }).loose(),
  z
    .object({
      type: z.literal('event_callback'),
      authorizations: z.array(z.object({}).loose()).optional(),
      event: z
        .object({
          type: z.string(),
          channel: z.union([z.string(), z.object({}).loose()]).optional(),
          item: objectIfPresent,
          assistant_thread: objectIfPresent,
        })
        .loose(),
    })
    .loose(),
  z.object({ type: z.literal('app_rate_limited') }).loose(),
]);

export type ShapeCheck = { ok: true } | { ok: false; reason: string };

const fail = (reason: string): ShapeCheck => ({ ok: false, reason });
const FORM = 'application/x-www-form-urlencoded';

/**
 * Parse the body exactly as Bolt will (its parseHTTPRequestBody): a form only for that exact
 * content type, read with `querystring` (first 1000 keys, repeated keys as arrays) and its
 * `payload` field as JSON when it is one string; anything else as JSON. Validating any other
 * parse would check a different object than the one Bolt then trusts.
 */
function parseAsBolt(rawBody: string, contentType: string | undefined): { body: unknown } | undefined {
  try {
    if (contentType === FORM) {
      const form = parseQueryString(rawBody);
      return { body: typeof form.payload === 'string' ? (JSON.parse(form.payload) as unknown) : form };
    }
    return { body: JSON.parse(rawBody) as unknown };
  } catch {
    return undefined;
  }
}

const describe = (error: z.ZodError) => {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'invalid';
};

/** Check a raw Slack request body (form-encoded or JSON) before Bolt parses it. */
export function checkSlackRequestShape(rawBody: string, contentType: string | undefined): ShapeCheck {
  const parsed = parseAsBolt(rawBody, contentType);
  if (!parsed) return fail(`body is not ${contentType === FORM ? 'a form with a JSON payload' : 'JSON'}`);
  const { body } = parsed;
  if (contentType === FORM) {
    const form = body as Record<string, unknown>;
    if (form !== null && typeof form === 'object' && 'payload' in form)
      return fail('payload field repeated or not a string');
    if (form?.ssl_check === '1') return { ok: true };
    if (form !== null && typeof form === 'object' && typeof form.type === 'string') {
      const result = interactive.safeParse(body);
      return result.success ? { ok: true } : fail(`interactive payload: ${describe(result.error)}`);
    }
    const result = slashCommand.safeParse(body);
    return result.success ? { ok: true } : fail('neither a slash command nor an interactive payload');
  }
  const result = eventsApi.safeParse(body);
  return result.success ? { ok: true } : fail(`events body: ${describe(result.error)}`);
}
