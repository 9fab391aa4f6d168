import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  /** Answers other than 2xx, and connection errors or timeouts. */
  failures: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  /** Builds each request (a fresh signature, a unique id): autocannon calls it per request. */
  request: () => { path: string; headers: Record<string, string>; body: string };
}

async function once(options: LoadOptions, durationS: number): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: durationS,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, method: 'POST', ...options.request() }),
      },
    ],
  });
}

/**
 * Load a server with autocannon (HTTP/1.1, keep-alive, `connections` at once): a 3-second
 * warm-up whose figures are dropped, then the measured run.
 */
export async function hammer(options: LoadOptions): Promise<LoadResult> {
  await once(options, 3);
  const result = await once(options, options.durationS);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** Run a request at a time (or `concurrency` at a time) and keep every latency (ms). */
export async function closedLoop(
  send: (i: number) => Promise<void>,
  options: { total: number; concurrency: number },
): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.total) {
        const i = next++;
        const started = performance.now();
        await send(i);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return percentiles(latencies);
}

/** p50 and p99 of a set of latencies (nearest rank). */
export function percentiles(latencies: readonly number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}
