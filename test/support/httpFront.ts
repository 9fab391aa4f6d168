import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One call as the front sees it. */
export interface FrontCall {
  method: string;
  path: string;
  body: string;
}

/**
 * What a call meets instead of a plain answer:
 * - `status`: this reply, and the call never reaches the fake (a 429, a 503…);
 * - `reset`: the connection drops before the fake sees the call;
 * - `lost`: the fake carries the call out, then the connection drops (the answer is lost);
 * - `hang`: no answer at all until the client gives up (a timeout) or `dropHeld()`; with
 *   `apply`, the fake carries the call out first (the work is done, the answer never comes).
 */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'reset' }
  | { kind: 'lost' }
  | { kind: 'hang'; apply?: boolean };

interface Rule {
  matches: (call: FrontCall) => boolean;
  fault: Fault;
  times: number;
  /** Resolves when a call meets this rule (a test can act while the call is in flight). */
  met: (call: FrontCall) => void;
}

/**
 * A real-socket HTTP front for a fake service: the bot under test (in this process or a child)
 * talks to it over TCP, and it hands each call to `forward` (the fake) — after a configurable
 * latency, or instead of it with a fault. Faults are queued per call pattern, so a test or a
 * benchmark can make a service exactly as unkind as the real one is.
 */
export class HttpFront {
  /** Added before every answer (ms): the service's own latency. */
  latencyMs = 0;
  readonly calls: FrontCall[] = [];
  private readonly rules: Rule[] = [];
  private readonly held = new Set<{ response: http.ServerResponse }>();
  private readonly answered = new Set<{ matches: (call: FrontCall) => boolean; resolve: () => void }>();
  private readonly sockets = new Set<Socket>();
  private server?: http.Server;
  url = '';

  constructor(
    private readonly forward: (
      call: FrontCall,
      headers: http.IncomingHttpHeaders,
    ) => Promise<{ status: number; headers: Record<string, string>; body: string }>,
  ) {}

  /**
   * The next `times` calls that match meet this fault. Resolves with the first such call, when
   * it arrives (for `hang`, the call is then in flight: kill the client, or drop it).
   */
  fault(matches: (call: FrontCall) => boolean, fault: Fault, times = 1): Promise<FrontCall> {
    return new Promise((resolve) => this.rules.push({ matches, fault, times, met: resolve }));
  }

  /** Resolves when the next matching call has been answered (its answer sent to the client). */
  nextAnswered(matches: (call: FrontCall) => boolean): Promise<void> {
    return new Promise((resolve) => this.answered.add({ matches, resolve }));
  }

  /** Drop every held (`hang`) call: its client, if still there, sees the connection close. */
  dropHeld(): void {
    for (const { response } of this.held) response.socket?.destroy();
    this.held.clear();
  }

  /** Forget queued faults and recorded calls. */
  reset(): void {
    this.rules.length = 0;
    this.calls.length = 0;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse, body: string) {
    const call: FrontCall = { method: request.method ?? 'GET', path: request.url ?? '/', body };
    this.calls.push(call);
    const rule = this.rules.find((candidate) => candidate.times > 0 && candidate.matches(call));
    if (rule) {
      rule.times -= 1;
      rule.met(call);
      if (rule.times === 0) this.rules.splice(this.rules.indexOf(rule), 1);
    }
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const fault = rule?.fault;
    if (fault?.kind === 'hang') {
      if (fault.apply) await this.forward(call, request.headers);
      this.held.add({ response });
      return;
    }
    if (fault?.kind === 'reset') return void request.socket.destroy();
    if (fault?.kind === 'status') {
      response.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.headers ?? {}) });
      return void response.end(JSON.stringify(fault.body ?? {}));
    }
    const reply = await this.forward(call, request.headers);
    if (fault?.kind === 'lost') return void request.socket.destroy();
    if (response.destroyed) return;
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body);
    for (const waiter of this.answered) {
      if (!waiter.matches(call)) continue;
      this.answered.delete(waiter);
      waiter.resolve();
    }
  }

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.handle(request, response, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
          if (!response.headersSent) response.writeHead(500);
          response.end(String(error));
        });
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.held.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * A front that replays each call to a fake's base URL: the workflow fake Jira (nock answers it
 * in this process, so a bot in another process reaches the same fake), the fake Slack, or a bot
 * (so what calls it — the webhook emitter — meets faults on the way).
 */
export function frontFor(baseUrl: string): HttpFront {
  return new HttpFront(async (call, headers) => {
    const response = await fetch(`${baseUrl}${call.path}`, {
      method: call.method,
      headers: {
        // Every header the client sent (signatures, delivery ids, credentials) but the hop's own.
        ...Object.fromEntries(
          Object.entries(headers)
            .filter(([name]) => !HOP_HEADERS.has(name))
            .map(([name, value]) => [name, String(value)]),
        ),
        'content-type': String(headers['content-type'] ?? 'application/json'),
      },
      ...(call.method === 'GET' || call.method === 'HEAD' ? {} : { body: call.body }),
    });
    return {
      status: response.status,
      headers: { 'content-type': response.headers.get('content-type') ?? 'application/json' },
      body: await response.text(),
    };
  });
}
