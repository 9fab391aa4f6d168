import WebSocket from 'ws';

/**
 * The heap in use (MiB) of a process started with `--inspect=127.0.0.1:0`, right after a full
 * garbage collection, asked through the inspector protocol. Unlike RSS, it does not depend on
 * when V8 chose to collect (late on a loaded machine), so it shows what the process still holds.
 */
export async function heapAfterGcMiB(output: () => string): Promise<number> {
  const url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(output())?.[0];
  if (!url) throw new Error('no inspector URL in the process output (start it with --inspect=127.0.0.1:0)');
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let lastId = 0;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<{ result?: { value?: unknown } }>((resolve, reject) => {
      const id = (lastId += 1);
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data)) as {
          id?: number;
          result?: { result?: { value?: unknown } };
          error?: { message: string };
        };
        if (message.id !== id) return;
        socket.off('message', onMessage);
        if (message.error) reject(new Error(message.error.message));
        else resolve(message.result ?? {});
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const answer = (await call('Runtime.evaluate', {
      expression: 'process.memoryUsage().heapUsed',
      returnByValue: true,
    })) as { result?: { value?: unknown } };
    return Number(answer.result?.value) / 2 ** 20;
  } finally {
    socket.close();
  }
}
