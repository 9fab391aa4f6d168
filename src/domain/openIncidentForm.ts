import { z } from 'zod';
import { IMPACT, isImpacted } from './impacts.js';
import { isCritical } from './priorities.js';
import { unsafeCharacterError } from './userText.js';

/** Refuse text with control or bidi-override characters, as a field error. */
const safeText = (value: string, ctx: z.RefinementCtx) => {
  const problem = unsafeCharacterError(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};

/** Limits and messages of the open form, as responders see them. */
export const TITLE_MIN = 10;
export const TITLE_MAX = 128;
export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 1200;
export const REQUIRED = 'This field is required.';
export const FEATURE_TEAM_REQUIRED = 'Feature Team is required for P4/P5 incidents';
export const NO_IMPACT = 'Select at least one impact: an incident with no impact cannot be opened.';

const lengthBetween = (min: number, max: number) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (unsafeCharacterError(value)) safeText(value, ctx);
      else if (value.length === 0) ctx.addIssue({ code: 'custom', message: REQUIRED });
      else if (value.length < min)
        ctx.addIssue({
          code: 'custom',
          message: `Ensure this value has at least ${min} characters (it has ${value.length}).`,
        });
      else if (value.length > max)
        ctx.addIssue({
          code: 'custom',
          message: `Ensure this value has at most ${max} characters (it has ${value.length}).`,
        });
    });

export interface OpenFormContext {
  priority: number;
  /** Impact type slug → level value (HT…NO). */
  impacts: Record<string, string>;
  categories: readonly string[];
  environments: readonly string[];
  platforms: readonly string[];
  featureTeams: readonly string[];
}

/** The details step, validated against the chosen impacts and the catalog. */
export function openFormSchema(context: OpenFormContext) {
  const oneOf = (allowed: readonly string[]) =>
    z.string({ error: REQUIRED }).refine((value) => allowed.includes(value), 'Select a valid choice.');
  const customersImpacted = isImpacted(context.impacts, IMPACT.customers);
  const sellersImpacted = isImpacted(context.impacts, IMPACT.sellers);
  const optionalText = z
    .string()
    .trim()
    .max(128, 'Ensure this value has at most 128 characters.')
    .superRefine(safeText)
    .nullish()
    .transform((value) => value || undefined);
  return z
    .object({
      title: lengthBetween(TITLE_MIN, TITLE_MAX),
      description: lengthBetween(DESCRIPTION_MIN, DESCRIPTION_MAX),
      category: oneOf(context.categories),
      environments: z.array(oneOf(context.environments)).min(1, REQUIRED),
      platforms: z.array(oneOf(context.platforms)).min(1, REQUIRED),
      featureTeam: z.string().nullish(),
      customerTicketId: optionalText,
      sellerContractId: optionalText,
      sellerTicketId: optionalText,
    })
    .superRefine((form, ctx) => {
      // With no feature teams configured there is nothing to choose: P4–P5 open without one.
      if (!isCritical(context.priority) && !form.featureTeam && context.featureTeams.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['featureTeam'], message: FEATURE_TEAM_REQUIRED });
      } else if (form.featureTeam && !context.featureTeams.includes(form.featureTeam)) {
        ctx.addIssue({ code: 'custom', path: ['featureTeam'], message: 'Select a valid choice.' });
      }
    })
    .transform((form) => ({
      ...form,
      featureTeam: form.featureTeam ?? undefined,
      // Fields that only make sense for the impacts chosen are dropped otherwise.
      customerTicketId: customersImpacted ? form.customerTicketId : undefined,
      sellerContractId: sellersImpacted ? form.sellerContractId : undefined,
      sellerTicketId: sellersImpacted ? form.sellerTicketId : undefined,
    }));
}

export type OpenIncidentForm = z.infer<ReturnType<typeof openFormSchema>>;

/** zod issues → one message per form field (the first), keyed by field name. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'title');
    errors[field] ??= issue.message;
  }
  return errors;
}
