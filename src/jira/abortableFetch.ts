import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * jira.js 6 calls the global `fetch` and takes no AbortSignal, so a Jira call we gave up on
 * would keep its socket open until Jira answers. A signal set for the current async context
 * (`withSignal`) is added to every fetch made inside it, and only there: other callers of
 * fetch (the Slack client) are untouched.
 */
const currentSignal = new AsyncLocalStorage<AbortSignal>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const signal = currentSignal.getStore();
    return original(input, signal && !init?.signal ? { ...init, signal } : init);
  }) as typeof fetch;
}

/** Run `call` so that every fetch it makes is aborted when `signal` fires. */
export function withSignal<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
  install();
  return currentSignal.run(signal, call);
}
