import type { JiraWebhook, JiraWithWorkflow } from './fakeJiraSync.js';
import { jiraSignature, WEBHOOK_SECRET } from './jiraWebhooks.js';
import { random } from './syncProperty.js';

/** How unkind Jira's delivery is. Probabilities are per webhook; times in ms. */
export interface DeliveryWeather {
  /** Before the first attempt (Jira's own queue). */
  delayMs?: number;
  /** Extra random delay in [0, jitterMs): webhooks overtake each other (reordering). */
  jitterMs?: number;
  /** Sent a second time, with the same identifier, a random moment later. */
  duplicate?: number;
  /** Never sent at all. */
  loss?: number;
  seed?: number;
}

/** What Jira Cloud retries (platform notes): 408, 409, 425, 429, 5xx and a connection failure. */
const retried = (status: number) => [408, 409, 425, 429].includes(status) || status >= 500;
const MAX_RETRIES = 5;

/**
 * Jira's webhook sender, as a fake: every change the workflow fake Jira makes — a person's or
 * the bot's own — is POSTed to the bot's `/jira/webhook` by itself, signed, with the same
 * identifier on every attempt, retried on what Jira retries, and delayed, reordered, duplicated
 * and lost as `weather` says (seeded, so a failing run can be replayed).
 */
export class JiraWebhookEmitter {
  /** Each attempt's outcome: the identifier, the HTTP status (0: no connection) and the retry count. */
  readonly attempts: { id: string; status: number; retry: number }[] = [];
  readonly lost: string[] = [];
  /** Called after each attempt is answered (or fails): lets a benchmark time the hop. */
  onAttempt?: (attempt: { id: string; status: number; retry: number }) => void;
  private readonly rng;
  private readonly pending = new Set<Promise<void>>();
  /** Scheduled attempts, and how to call each off. */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  constructor(
    private readonly jira: JiraWithWorkflow,
    private readonly targetUrl: () => string,
    private readonly weather: DeliveryWeather = {},
    private readonly secret = WEBHOOK_SECRET,
  ) {
    this.rng = random(weather.seed ?? 1);
  }

  start(): this {
    this.stopped = false;
    this.jira.onWebhook = (webhook) => this.schedule(webhook);
    return this;
  }

  /** Stop sending: what is scheduled is dropped (a Jira that gave up), attempts in flight end. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.jira.onWebhook = undefined;
    for (const [timer, callOff] of this.timers) {
      clearTimeout(timer);
      callOff();
    }
    await this.idle(); // attempts in flight end
  }

  /** Resolves once nothing is scheduled or in flight (new changes may schedule more later). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Webhooks scheduled or in flight right now. */
  pendingCount(): number {
    return this.pending.size;
  }

  private schedule(webhook: JiraWebhook): void {
    const { loss = 0, duplicate = 0, delayMs = 0, jitterMs = 0 } = this.weather;
    if (this.rng.chance(loss)) {
      this.lost.push(webhook.id);
      return;
    }
    const copies = this.rng.chance(duplicate) ? 2 : 1;
    for (let copy = 0; copy < copies; copy += 1) {
      this.later(delayMs + this.rng.next() * jitterMs * (copy + 1), () => this.send(webhook, 0));
    }
  }

  /** Run `work` after `ms`, counted as pending from now so idle() waits for it. */
  private later(ms: number, work: () => Promise<void>): void {
    if (this.stopped) return;
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const finish = () => {
      this.timers.delete(timer);
      this.pending.delete(done);
      settle();
    };
    const timer = setTimeout(() => {
      this.timers.delete(timer); // in flight now: stop() waits for it rather than calling it off
      void work().finally(finish);
    }, ms);
    this.timers.set(timer, finish);
    this.pending.add(done);
  }

  private async send(webhook: JiraWebhook, retry: number): Promise<void> {
    if (this.stopped) return;
    const body = JSON.stringify(webhook.body);
    let status = 0;
    try {
      const response = await fetch(`${this.targetUrl()}/jira/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature': jiraSignature(body, this.secret),
          'x-atlassian-webhook-identifier': webhook.id,
          ...(retry > 0 ? { 'x-atlassian-webhook-retry': String(retry) } : {}),
        },
        body,
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0; // no connection, or it dropped: Jira retries
    }
    const attempt = { id: webhook.id, status, retry };
    this.attempts.push(attempt);
    this.onAttempt?.(attempt);
    if ((status === 0 || retried(status)) && retry < MAX_RETRIES) {
      // Jira backs off for minutes; a test has no minutes: a short, growing pause.
      this.later(20 * 2 ** retry, () => this.send(webhook, retry + 1));
    }
  }
}
