import { z } from 'zod';
import { storableText } from '../../domain/userText.js';

/**
 * JSON.parse for a webhook body: every string value passes through storableText, so a `\u0000`
 * escape or a lone surrogate in any field (an issue id, an account id, a summary) can neither
 * break a database lookup nor be stored — one edge, for the route and the job alike.
 */
export const parseDeliveryJson = (text: string): unknown =>
  // Only an escape can put either into a parsed string (a raw NUL is invalid JSON, and a body
  // decoded from UTF-8 has no lone surrogate): without one, the per-value pass (a reviver costs
  // ~7% of an ingest's CPU) has nothing to do.
  MAY_HOLD_UNSTORABLE.test(text)
    ? JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? storableText(value) : value))
    : JSON.parse(text);

/** `\u0000` or a `\uD800`–`\uDFFF` escape, or a lone surrogate already in the text. */
const MAY_HOLD_UNSTORABLE = /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})|[\uD800-\uDFFF]/;

/**
 * A Jira Cloud webhook body, as far as the sync reads it (shapes: shared/fixtures/jira). Issue
 * events carry `user` (the actor) and `changelog`; comment events carry `comment` (the actor is
 * its author) and a trimmed `issue`; `jira:issue_deleted` has no changelog.
 */
const actorSchema = z
  .object({ accountId: z.string().optional(), displayName: z.string().optional() })
  .loose();

export const deliveryEnvelopeSchema = z
  .object({
    webhookEvent: z.string().min(1),
    timestamp: z.number().optional(),
    user: actorSchema.optional(),
    issue: z
      .object({
        id: z.union([z.string(), z.number()]).transform(String),
        key: z.string().optional(),
      })
      .loose()
      .optional(),
    changelog: z
      .object({ items: z.array(z.unknown()).default([]) })
      .loose()
      .optional(),
    comment: z
      .object({
        id: z.union([z.string(), z.number()]).transform(String).optional(),
        body: z.string().optional(),
        author: actorSchema.optional(),
        updateAuthor: actorSchema.optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
export type DeliveryEnvelope = z.infer<typeof deliveryEnvelopeSchema>;

/** One changelog item. */
export interface ChangelogItem {
  fieldId: string | null;
  field: string | null;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

const own = (item: Record<string, unknown>, key: string): string | null => {
  // Read own properties only: an item's `toString` key would otherwise be confused with
  // Object.prototype.toString when absent (and zod reads the inherited one, see platform-notes).
  if (!Object.hasOwn(item, key)) return null;
  const value = item[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
};

/** Changelog items, read safely. User fields prefer the modern `tmp*AccountId` keys. */
export function changelogItems(envelope: DeliveryEnvelope): ChangelogItem[] {
  return (envelope.changelog?.items ?? []).flatMap((raw) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const item = raw as Record<string, unknown>;
    return [
      {
        fieldId: own(item, 'fieldId'),
        field: own(item, 'field'),
        from: own(item, 'tmpFromAccountId') ?? own(item, 'from'),
        fromString: own(item, 'fromString'),
        to: own(item, 'tmpToAccountId') ?? own(item, 'to'),
        toString: own(item, 'toString'),
      },
    ];
  });
}
