import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  /** Form fields or JSON body; JSON-string fields (blocks, view, users) left as sent. */
  args: Record<string, unknown>;
}

/** A channel as the fake workspace holds it (conversations.create / list / info). */
export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  creator: string;
  created: number;
  is_archived: boolean;
}

type Reply = { status?: number; body: Record<string, unknown>; headers?: Record<string, string> };
/** A handler may answer later (a Promise): the call is in flight meanwhile, as on a slow Slack. */
type Handler = (
  args: Record<string, unknown>,
  call: number,
) => Reply | Record<string, unknown> | Promise<Reply | Record<string, unknown>>;

/**
 * A local Slack Web API: records every call in order and answers from per-method handlers
 * (default `{ ok: true }`). The bot reaches it through SLACK_API_URL, exactly as it would Slack.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly counts = new Map<string, number>();
  private readonly failures = new Map<string, Reply[]>();
  private readonly lost = new Map<
    string,
    { count: number; when: (args: Record<string, unknown>) => boolean }
  >();
  /** Messages posted per channel, newest first, as conversations.history returns them. */
  readonly history = new Map<string, { ts: string; text: unknown; metadata?: unknown }[]>();
  /** The workspace's channels by name: creating an existing name answers `name_taken`, as Slack does. */
  readonly channels = new Map<string, FakeChannel>();
  /** Bookmarks per channel id, as bookmarks.list returns them. */
  readonly bookmarks = new Map<string, { id: string; title: unknown; link: unknown }[]>();
  private readonly waiters = new Set<{
    method: string;
    matches: (args: Record<string, unknown>) => boolean;
    resolve: (call: SlackCall) => void;
  }>();
  private server?: http.Server;
  url = '';

  private sequence = 0;

  constructor() {
    this.on('auth.test', () => ({
      ok: true,
      user_id: 'UBOT',
      bot_id: 'BBOT',
      team_id: 'T0TEST',
      user: 'incident-bot',
    }));
    this.on('chat.postMessage', (args) => this.postMessage(args));
    this.on('conversations.history', (args) => ({
      ok: true,
      messages: this.history.get(String(args.channel)) ?? [],
      has_more: false,
    }));
    this.on('chat.update', (args) => ({ ok: true, channel: args.channel, ts: args.ts }));
    this.on('conversations.create', (args) => this.createChannel(args));
    this.on('conversations.list', () => ({
      ok: true,
      channels: [...this.channels.values()].filter((channel) => !channel.is_archived),
      response_metadata: { next_cursor: '' },
    }));
    this.on('bookmarks.add', (args) => this.addBookmark(args));
    this.on('bookmarks.list', (args) => ({
      ok: true,
      bookmarks: this.bookmarks.get(String(args.channel_id)) ?? [],
    }));
    this.on('bookmarks.remove', (args) => {
      const list = this.bookmarks.get(String(args.channel_id)) ?? [];
      if (!list.some((bookmark) => bookmark.id === args.bookmark_id))
        return { ok: false, error: 'not_found' };
      this.bookmarks.set(
        String(args.channel_id),
        list.filter((bookmark) => bookmark.id !== args.bookmark_id),
      );
      return { ok: true };
    });
  }

  /** Posting to a user id lands in the bot's DM with them, as on Slack. */
  dmFor(channel: string): string {
    return channel.startsWith('U') ? `D${channel.slice(1)}` : channel;
  }

  nextTs(): string {
    return `1700000000.${String(++this.sequence).padStart(6, '0')}`;
  }

  /** Forget recorded calls and restore default handlers for the methods tests override. */
  reset(): void {
    this.calls.length = 0;
    this.counts.clear();
    this.lost.clear();
    this.failures.clear();
    this.on('conversations.create', (args) => this.createChannel(args));
    this.on('bookmarks.add', (args) => this.addBookmark(args));
  }

  /** Slack's bookmarks.add: listed afterwards by bookmarks.list. */
  addBookmark(args: Record<string, unknown>): Record<string, unknown> {
    const bookmark = { id: `Bk0${++this.sequence}`, title: args.title, link: args.link };
    const list = this.bookmarks.get(String(args.channel_id)) ?? [];
    this.bookmarks.set(String(args.channel_id), [...list, bookmark]);
    return { ok: true, bookmark };
  }

  /** Slack's conversations.create: the bot becomes the creator; a taken name is refused. */
  createChannel(args: Record<string, unknown>): Record<string, unknown> {
    const name = String(args.name);
    if (this.channels.has(name)) return { ok: false, error: 'name_taken' };
    const channel: FakeChannel = {
      id: `C0CHAN${++this.sequence}`,
      name,
      is_private: args.is_private === 'true',
      creator: 'UBOT',
      created: Math.floor(Date.now() / 1000),
      is_archived: false,
    };
    this.channels.set(name, channel);
    return { ok: true, channel };
  }

  /** Slack's chat.postMessage: the message lands in the channel's history (with its metadata). */
  postMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = this.dmFor(String(args.channel));
    const ts = this.nextTs();
    const metadata =
      typeof args.metadata === 'string' ? (JSON.parse(args.metadata) as unknown) : args.metadata;
    this.history.set(channel, [
      { ts, text: args.text, ...(metadata ? { metadata } : {}) },
      ...(this.history.get(channel) ?? []),
    ]);
    return { ok: true, channel, ts };
  }

  /**
   * The next `count` calls to `method` (those `when` accepts) take effect, but their answer never
   * arrives (the connection drops after the work is done), as when Slack times out or a proxy resets.
   */
  loseResponses(
    method: string,
    count = 1,
    when: (args: Record<string, unknown>) => boolean = () => true,
  ): this {
    this.lost.set(method, { count, when });
    return this;
  }

  /**
   * The next calls to `method` get these replies instead of being carried out (e.g. a 429 with
   * Retry-After), one each, then the method works again.
   */
  failNext(method: string, ...replies: Reply[]): this {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...replies]);
    return this;
  }

  on(method: string, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  methods(): string[] {
    return this.calls.map((call) => call.method);
  }

  /** Resolves with the next call to `method` that matches, the moment it arrives (no polling). */
  nextCall(
    method: string,
    matches: (args: Record<string, unknown>) => boolean = () => true,
  ): Promise<SlackCall> {
    return new Promise((resolve) => this.waiters.add({ method, matches, resolve }));
  }

  /** Resolves once `count` calls to `method` have been made. */
  async waitFor(method: string, count = 1, timeoutMs = 10_000): Promise<SlackCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsTo(method).length < count) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${count}× ${method}; saw ${this.methods().join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.callsTo(method);
  }

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      request.on('end', async () => {
        const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
        const args = request.headers['content-type']?.includes('json')
          ? (JSON.parse(raw || '{}') as Record<string, unknown>)
          : Object.fromEntries(new URLSearchParams(raw));
        this.calls.push({ method, args });
        for (const waiter of this.waiters) {
          if (waiter.method !== method || !waiter.matches(args)) continue;
          this.waiters.delete(waiter);
          waiter.resolve({ method, args });
        }
        const count = (this.counts.get(method) ?? 0) + 1;
        this.counts.set(method, count);
        const failure = this.failures.get(method)?.shift();
        const handler = this.handlers.get(method);
        const result = failure ?? (handler ? await handler(args, count) : { ok: true });
        const lost = this.lost.get(method);
        if (lost && lost.count > 0 && lost.when(args)) {
          lost.count -= 1;
          request.socket.destroy();
          return;
        }
        const reply: Reply =
          'body' in result && typeof result.body === 'object' ? (result as Reply) : { body: result };
        response.writeHead(reply.status ?? 200, {
          'content-type': 'application/json',
          ...(reply.headers ?? {}),
        });
        response.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
