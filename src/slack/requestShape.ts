import { z } from 'zod';

/**
 * The minimal shape of every Slack request body Bolt is handed. Bolt trusts signed bodies and
 * throws outside its own error handling on some shapes (a body that parses to `null` killed the
 * process), so anything else is answered 400 before it reaches Bolt.
 */
const user = z.object({ id: z.string().min(1) }).loose();

const interactive = z.discriminatedUnion('type', [
  z.object({ type: z.literal('block_actions'), user, actions: z.array(z.object({}).loose()).min(1) }).loose(),
  z
    .object({
      type: z.enum(['view_submission', 'view_closed']),
      user,
      view: z.object({ id: z.string(), callback_id: z.string() }).loose(),
    })
    .loose(),
  z.object({ type: z.enum(['shortcut', 'message_action']), user, callback_id: z.string() }).loose(),
  z.object({ type: z.literal('block_suggestion'), user, action_id: z.string() }).loose(),
]);

const slashCommand = z
  .object({ command: z.string().regex(/^\//), user_id: z.string().min(1), text: z.string().optional() })
  .loose();

const eventsApi = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string() }).loose(),
  z.object({ type: z.literal('event_callback'), event: z.object({ type: z.string() }).loose() }).loose(),
  z.object({ type: z.literal('app_rate_limited') }).loose(),
]);

export type ShapeCheck = { ok: true } | { ok: false; reason: string };

const fail = (reason: string): ShapeCheck => ({ ok: false, reason });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Check a raw Slack request body (form-encoded or JSON) before Bolt parses it. */
export function checkSlackRequestShape(rawBody: string, contentType: string | undefined): ShapeCheck {
  if (contentType?.startsWith('application/json')) {
    const parsed = eventsApi.safeParse(parseJson(rawBody));
    return parsed.success
      ? { ok: true }
      : fail(`events body: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (!contentType?.startsWith('application/x-www-form-urlencoded'))
    return fail(`unsupported content type ${contentType ?? '(none)'}`);
  const form = new URLSearchParams(rawBody);
  if (form.get('ssl_check') === '1') return { ok: true };
  const payload = form.get('payload');
  if (payload !== null) {
    const parsed = interactive.safeParse(parseJson(payload));
    if (parsed.success) return { ok: true };
    const issue = parsed.error.issues[0];
    return fail(
      `interactive payload: ${issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'invalid'}`,
    );
  }
  const parsed = slashCommand.safeParse(Object.fromEntries(form));
  return parsed.success ? { ok: true } : fail('neither a slash command nor an interactive payload');
}
