import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { waitUntilReady } from '../../src/db/serverReady.js';

/** A stand-in postgres: runs `script` in node with stderr piped, as the bot starts the server. */
function fakePostgres(script: string) {
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const READY = 'LOG:  database system is ready to accept connections';
// What a server killed mid-run prints on its next start, in one burst with the ready line.
const RECOVERY = [
  'LOG:  database system was interrupted; last known up at 2026-12-01 08:31:02 UTC',
  'LOG:  database system was not properly shut down; automatic recovery in progress',
  'LOG:  redo starts at 0/1A2B3C8',
  'LOG:  checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled',
];

describe('waiting for the embedded server to accept connections', () => {
  it('sees the ready line when more output follows it in the same chunk, and keeps draining stderr', async () => {
    const after = Array.from({ length: 8 }, (_, i) => `FATAL:  connection ${i} for a client that went away`);
    const child = fakePostgres(
      `process.stderr.write(${JSON.stringify([...RECOVERY, READY, ...after].join('\n') + '\n')});
       // After ready, far more than a pipe buffer: blocks for ever unless the reader drains it.
       setTimeout(() => process.stderr.write('x'.repeat(1 << 20) + '\\n'), 10);`,
    );
    const lines: string[] = [];
    await waitUntilReady(child, { remember: (line) => lines.push(line), timeoutMs: 20_000 });
    expect(lines.slice(0, RECOVERY.length + 1)).toEqual([...RECOVERY, READY]);
    // 'close': the pipe is read to its end (on 'exit' its last chunks may still be in flight).
    expect((await once(child, 'close'))[0]).toBe(0);
    expect(lines.at(-1)).toHaveLength(1 << 20);
  });

  it('sees a ready line split across two writes', async () => {
    const child = fakePostgres(
      `process.stderr.write(${JSON.stringify(READY.slice(0, 20))});
       setTimeout(() => process.stderr.write(${JSON.stringify(READY.slice(20) + '\n')}), 50);
       setTimeout(() => {}, 60_000);`,
    );
    try {
      await expect(waitUntilReady(child, { remember: () => {}, timeoutMs: 20_000 })).resolves.toBeUndefined();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('fails with how the server ended when it exits before being ready', async () => {
    const child = fakePostgres(
      `process.stderr.write('FATAL:  pre-existing shared memory block is still in use\\n'); process.exit(1);`,
    );
    const lines: string[] = [];
    await expect(
      waitUntilReady(child, { remember: (line) => lines.push(line), timeoutMs: 20_000 }),
    ).rejects.toThrow('postgres exited with code 1');
    expect(lines).toEqual(['FATAL:  pre-existing shared memory block is still in use']);
  });

  it('kills a server that neither gets ready nor exits, and says so', async () => {
    const child = fakePostgres(`process.stderr.write('LOG:  starting\\n'); setInterval(() => {}, 1000);`);
    await expect(waitUntilReady(child, { remember: () => {}, timeoutMs: 300 })).rejects.toThrow(
      'postgres did not get ready within 0 s (stopped)',
    );
    // Already gone when the caller hears of it: a retry will not find its own server in the way.
    expect(child.signalCode).toBe('SIGQUIT');
  });
});
