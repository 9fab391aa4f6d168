import { truncateText } from './userText.js';

/** Slack channel names: lower-case letters, digits, `-` and `_`, at most 80 characters. */
export const CHANNEL_NAME_MAX = 80;

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * `{YYYYMMDD}-{id}-{envs}-{category}` (e.g. `20250101-1234-prd-payment`), sanitised and cut to
 * 80 characters. The date is the incident's creation day in UTC.
 */
export function incidentChannelName(input: {
  id: number;
  createdAt: Date;
  environments: readonly string[];
  category: string;
}): string {
  const day = input.createdAt.toISOString().slice(0, 10).replace(/-/g, '');
  const name = [day, String(input.id), ...input.environments.map(slug), slug(input.category)]
    .filter(Boolean)
    .join('-')
    .replace(/-+/g, '-');
  return name.slice(0, CHANNEL_NAME_MAX).replace(/-+$/, '');
}

/** The name to try after `name_taken`: `-2`, `-3`, … keeping within 80 characters. */
export function suffixedChannelName(base: string, attempt: number): string {
  const suffix = `-${attempt}`;
  return `${base.slice(0, CHANNEL_NAME_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** Slack topics are limited to 250 characters; cut whole characters only. */
export function truncateTopic(topic: string, max = 250): string {
  return truncateText(topic, max);
}
