import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { superviseServer } from '../../src/db/serverSupervisor.js';
import type { AppError } from '../../src/errors.js';
import { eventually } from '../support/eventually.js';
import { testLogger } from '../support/pgServer.js';

/** A stand-in server process: `die()` makes it exit as if killed. */
function fakeServer() {
  const child = new EventEmitter() as ChildProcess & { die(): void };
  Object.assign(child, { exitCode: null, signalCode: null, kill: () => true });
  child.die = () => {
    Object.assign(child, { exitCode: 1 });
    child.emit('exit', 1, null);
  };
  return child;
}

describe('embedded PostgreSQL supervision', () => {
  it('a server that dies right after every restart ends in give-up, not an endless loop', async () => {
    const servers = [fakeServer()];
    let gaveUp: AppError | undefined;
    const supervisor = superviseServer({
      first: servers[0]!,
      attempts: 3,
      baseDelayMs: 1,
      logger: testLogger(),
      async restart() {
        const next = fakeServer();
        servers.push(next);
        return next;
      },
      onGiveUp: (error) => (gaveUp = error),
    });
    // Each restarted server dies at once: restarts 1, 2, 3 are spent, then the bot must exit.
    for (let dead = 0; dead < 4 && !gaveUp; dead += 1) {
      servers.at(-1)!.die();
      await eventually(async () => servers.length > dead + 1 || gaveUp !== undefined, Boolean);
    }
    await eventually(
      async () => gaveUp,
      (error) => error !== undefined,
    );
    expect(gaveUp!.code).toBe('EMBEDDED_DB_FAILED');
    expect(servers).toHaveLength(4); // the first + 3 restarts, no more
    await supervisor.stop();
  });
});
