import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Start a process and collect its output; stop() sends SIGTERM and waits. */
export function start(command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Wait for a line of JSON carrying `port` on the process's output (the floors print one). */
export async function printedPort(process_: Child, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (Date.now() > deadline)
      throw new Error(`no port printed in ${timeoutMs} ms:\n${process_.output().slice(-2000)}`);
    const match = /"port":(\d+)/.exec(process_.output());
    if (match) return Number(match[1]);
    if (process_.child.exitCode !== null) throw new Error(`exited early:\n${process_.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Wait until GET url answers 200. */
export async function healthy(url: string, process_: Child, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (Date.now() > deadline)
      throw new Error(`${url} not healthy in ${timeoutMs} ms:\n${process_.output().slice(-2000)}`);
    if (process_.child.exitCode !== null) throw new Error(`exited early:\n${process_.output().slice(-2000)}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
