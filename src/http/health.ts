import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../logger.js';
import { settleWithin } from '../deadline.js';
import { sendJson } from './json.js';

export type WorkerState = 'starting' | 'running' | 'stopping' | 'stopped';

export interface HealthProbe {
  /** Resolves true when a trivial query answers in time. */
  databaseUp(): Promise<boolean>;
  workerState(): WorkerState;
}

/** GET /healthz: 200 when the database answers and the worker runs, else 503, with details. */
export function healthRoute(probe: HealthProbe, logger: Logger): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET', 'HEAD'],
    handler: (_request, response) => {
      void (async () => {
        const db = await probe.databaseUp().catch(() => false);
        const worker = probe.workerState();
        const ok = db && worker === 'running';
        sendJson(response, ok ? 200 : 503, {
          status: ok ? 'ok' : 'unavailable',
          db: db ? 'up' : 'down',
          worker,
        });
      })().catch((error: unknown) => {
        logger.error({ err: error }, 'health check failed');
        if (!response.headersSent) sendJson(response, 500, { status: 'error' });
      });
    },
  };
}

/** A database probe with a deadline, so /healthz answers even when the pool hangs. */
export function databaseProbe(query: () => Promise<unknown>, timeoutMs = 2000): () => Promise<boolean> {
  return () =>
    settleWithin(
      query().then(() => true),
      timeoutMs,
      () => false,
    );
}
