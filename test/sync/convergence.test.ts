import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JiraWithWorkflow } from '../support/fakeJiraSync.js';
import { postJiraWebhook } from '../support/jiraWebhooks.js';
import { closeSyncHarness, declareSynced, openSyncHarness, reconcileNow } from '../support/syncHarness.js';
import { random, syncWorld, type LastEdits, type SyncWorld } from '../support/syncProperty.js';
import type { TestBot } from '../support/testBot.js';
import type { TestDatabase } from '../support/testDatabase.js';

/**
 * Property: whatever the interleaving of Slack edits and Jira edits, and whatever Jira does to
 * its webhooks (duplicates, reorders, drops), the incident, its Slack announcement and the Jira
 * ticket end up saying the same thing — the newest edit of each field, whichever side made it —
 * and then stay quiet (no loop). Seeded, so a failure is
 * reproducible: SYNC_PROPERTY_SEED / SYNC_PROPERTY_RUNS.
 */
const RUNS = Number(process.env.SYNC_PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.SYNC_PROPERTY_SEED ?? 20261130);

let db: TestDatabase;
let harness: TestBot;
let world: SyncWorld;
const jira = new JiraWithWorkflow();

beforeAll(async () => {
  ({ db, harness } = await openSyncHarness(jira));
  world = syncWorld(db, harness, jira);
});
afterAll(() => closeSyncHarness(db, harness, jira));

describe('convergence under any interleaving (property test)', () => {
  it(`${RUNS} seeded runs of Slack and Jira edits with duplicated, reordered and dropped webhooks end converged, then quiet`, async () => {
    const rng = random(SEED);
    const { incident, ticket } = await declareSynced(harness, db, 'V0PROPERTY', 3, {
      customers_impact: 'MD',
    });
    await world.settle();
    let totalWrites = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const log: string[] = [];
      const writesBefore = jira.writes;
      harness.slack.reset();
      let edits = 0;
      const last: LastEdits = {};
      const runStarted = new Date();
      try {
        const steps = 3 + rng.int(6);
        for (let step = 0; step < steps; step += 1) {
          const tag = `r${run}s${step}`;
          const what = rng.int(10);
          if (what < 3) {
            await world.slackEdit(rng, incident.id, tag, log, last);
            edits += 1;
          } else if (what < 6) {
            await world.outsideWriteWindow();
            world.jiraEdit(rng, ticket.key, tag, log, last);
            edits += 1;
          } else if (what < 9) {
            await world.deliverSome(rng, 1 + rng.int(3), log);
          } else {
            await world.settle();
          }
        }
        await world.deliverSome(rng, jira.webhooks.length, log);
        await world.settle();
        // Whatever was dropped heals with the next reconcile pass.
        await reconcileNow(db);
        await world.settle();
        await world.deliverSome(rng, jira.webhooks.length, log);
        await world.settle();
        const { incident: now, issue } = await world.bothSides(incident.id, ticket.key);
        world.expectAgreement(now, issue);
        world.expectNewestWins(last, now, issue);
        await world.expectSlackAgrees(incident.id, now);

        // Quiet: another pass and every echo delivered change nothing, anywhere.
        const writesAtRest = jira.writes;
        const updatesAtRest = await db.prisma.incidentUpdate.count({ where: { incidentId: incident.id } });
        await reconcileNow(db);
        for (const webhook of jira.webhooks.splice(0)) {
          await postJiraWebhook(harness.baseUrl, webhook.body, { id: webhook.id });
        }
        await world.settle();
        expect(jira.writes).toBe(writesAtRest);
        expect(await db.prisma.incidentUpdate.count({ where: { incidentId: incident.id } })).toBe(
          updatesAtRest,
        );
        // Bounded: at most one edit, one assignment and a short transition path per change.
        expect(jira.writes - writesBefore).toBeLessThanOrEqual(6 * (edits + 1));
        totalWrites += jira.writes - writesBefore;
      } catch (error) {
        const story = await world.journalStory(incident.id, runStarted);
        throw new Error(
          `run ${run} (seed ${SEED}) failed: ${(error as Error).message}\n${log.join('\n')}\njournal:\n${story}`,
          { cause: error },
        );
      }
    }
    expect(totalWrites).toBeGreaterThan(0);
  }, 900_000);
});
