import type { IncidentForChange } from '../db/repositories/incidentState.js';
import type { SyncedField } from '../domain/jiraSync.js';

/** A Jira user as a webhook names them. */
export interface JiraActor {
  accountId?: string | undefined;
  displayName?: string | undefined;
}

/** What a webhook delivery says changed (changelog items matched on field id). */
export interface DeliveryContext {
  deliveryId: string;
  actor: JiraActor | undefined;
  /** The event's own time (payload `timestamp`), not when it arrived. */
  timestamp: Date;
  items: Map<SyncedField, { from: string | null; to: string | null }>;
}

/** Why a sync runs: an incident change to push, a Jira delivery, or the periodic reconcile. */
export type SyncTrigger =
  { kind: 'change' } | { kind: 'reconcile' } | { kind: 'delivery'; delivery: DeliveryContext };

/** One field on both sides, with its last agreement. */
export interface FieldState {
  field: SyncedField;
  incidentValue: string;
  jiraValue: string;
  base?: { incidentValue: string; jiraValue: string } | undefined;
}

/** Everything one sync pass works with. */
export interface SyncPass {
  incident: IncidentForChange;
  ticket: { key: string; url: string };
  trigger: SyncTrigger;
  /** Jira's `updated` for the issue as read: identifies this Jira state in notices. */
  jiraUpdated: Date | undefined;
  commanderAccount: string | undefined;
}

/** The journal's reason for a change found by reading rather than told by a delivery. */
export const reasonOf = (trigger: SyncTrigger): string | undefined =>
  trigger.kind === 'reconcile'
    ? 'drift repaired by the reconcile'
    : trigger.kind === 'change'
      ? 'found when pushing an incident change'
      : undefined;

export const deliveryIdOf = (trigger: SyncTrigger) =>
  trigger.kind === 'delivery' ? trigger.delivery.deliveryId : null;
