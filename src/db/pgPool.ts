import pg from 'pg';

export interface OwnedPool {
  pool: pg.Pool;
  /** End the pool and resolve once every connection is really closed (or after 5 s). */
  end(): Promise<void>;
}

export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A node-postgres pool we own. Connection errors (a server restart or shutdown dropping them) go
 * to `onError` instead of crashing the process, on idle clients and clients in use alike.
 *
 * `pool.end()` resolves as soon as the clients are *asked* to close, not when they are closed:
 * stopping the server right after made every closing connection receive "terminating connection
 * due to administrator command" and log it, with a dump of the client. `end()` here waits for
 * the pool's 'remove' event of every connection (emitted once its socket has closed).
 */
export function createOwnedPool(options: {
  connectionString: string;
  max: number;
  onError: (error: Error) => void;
  /** How long end() waits for connections to close before giving up on them (default 5 s). */
  closeTimeoutMs?: number;
}): OwnedPool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    // Getting a connection (a new one, or a turn when all are busy) fails after this instead of
    // waiting for ever on a server that stopped answering: the caller's error path runs (503,
    // a job retry) rather than a queue of requests that never ends.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  let open = 0;
  let allClosed: (() => void) | undefined;
  // An idle client's error reaches both handlers (pg-pool re-emits it): report it once. pg-pool
  // also attaches the whole client to it, which a log line would dump.
  const reported = new WeakSet<Error>();
  const report = (error: Error) => {
    if (reported.has(error)) return;
    reported.add(error);
    Reflect.deleteProperty(error, 'client');
    options.onError(error);
  };
  pool.on('error', report); // idle clients
  pool.on('connect', (client) => {
    open += 1;
    client.on('error', report); // clients in use
  });
  pool.on('remove', () => {
    open -= 1;
    if (open <= 0) allClosed?.();
  });
  return {
    pool,
    async end() {
      const closed = new Promise<void>((resolve) => {
        allClosed = resolve;
        if (open <= 0) resolve();
      });
      // pg's end() itself waits for every checked-out client to be released: a query hung on
      // a server that stopped answering would hold it for ever, so it is in the race too.
      const ended = pool.ending ? Promise.resolve() : pool.end();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([ended, closed]),
        new Promise((resolve) => (timer = setTimeout(resolve, options.closeTimeoutMs ?? 5000))),
      ]);
      clearTimeout(timer);
    },
  };
}
