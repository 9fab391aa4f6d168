import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const READY = 'database system is ready to accept connections';

/**
 * Resolve once a starting postgres says on stderr that it accepts connections; reject if it
 * exits first, fails to spawn, or is neither ready nor gone after `timeoutMs` (then it is
 * killed, and the rejection waits for its exit: a server stuck on a full disk must not hang us).
 *
 * Stderr is read line by line for the server's whole life: every line goes to `remember`, and
 * the pipe keeps being drained after the server is ready (a full pipe would block postgres).
 * Lines, not raw chunks, are matched: after a crash the server prints its recovery and the
 * ready line in one burst, and when the reader falls behind, later lines arrive in the same
 * chunk — a fixed tail of the chunk can miss the ready line.
 */
export function waitUntilReady(
  child: ChildProcess,
  options: { remember(line: string): void; timeoutMs: number },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    // On timeout the server is killed, and the promise settles once it has exited: a retry
    // started while it still runs would find the data directory in use by our own child.
    let timedOut = false;
    let forceKill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGQUIT');
      forceKill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    }, options.timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(forceKill);
      settle(
        new Error(
          timedOut
            ? `postgres did not get ready within ${Math.round(options.timeoutMs / 1000)} s (stopped)`
            : `postgres exited with ${signal ?? `code ${code}`}`,
        ),
      );
    };
    child.once('exit', onExit);
    child.once('error', (error) => settle(error));
    if (!child.stderr) return settle(new Error('postgres was started without a stderr pipe'));
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      options.remember(line);
      if (line.includes(READY) && !timedOut) settle(); // too late: it is being stopped
    });
  });
}
