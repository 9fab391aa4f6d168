/**
 * Which network failure it was, from the error chain Node's fetch (undici), node-postgres and
 * jira.js produce: "fetch failed" says nothing an operator can act on, the system error under it
 * (ECONNREFUSED, ENOTFOUND, a TLS code, our own deadline) does.
 */
export type NetworkFailureKind = 'refused' | 'dns' | 'timeout' | 'tls' | 'reset' | 'unreachable';

export interface NetworkFailure {
  kind: NetworkFailureKind;
  code: string;
  /** Operator-facing: "connection refused by 127.0.0.1:8080". */
  detail: string;
}

/** A deadline we enforce ourselves (the request may still be in flight): carries its length. */
export class DeadlineError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly timeoutMs: number,
    what: string,
  ) {
    super(`${what} did not answer within ${timeoutMs} ms`);
    this.name = 'DeadlineError';
  }
}

interface SystemErrorLike {
  code?: unknown;
  message?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  timeoutMs?: unknown;
  cause?: unknown;
  errors?: unknown;
  /** @slack/web-api's WebAPIRequestError keeps the underlying error here. */
  original?: unknown;
}

/** Every error in the chain: causes, wrapped originals, the attempts of an AggregateError (IPv4 + IPv6). */
function chain(error: unknown): SystemErrorLike[] {
  const seen: SystemErrorLike[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 20) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.includes(current as SystemErrorLike)) continue;
    const candidate = current as SystemErrorLike;
    seen.push(candidate);
    queue.push(candidate.cause, candidate.original);
    if (Array.isArray(candidate.errors)) queue.push(...(candidate.errors as unknown[]));
  }
  return seen;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

const tlsHints: Record<string, string> = {
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on that port (http:// instead of https://?)',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed (trust it with NODE_EXTRA_CA_CERTS)',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain is not trusted (NODE_EXTRA_CA_CERTS)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate chain is incomplete or not trusted (NODE_EXTRA_CA_CERTS)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate issuer is not trusted (NODE_EXTRA_CA_CERTS)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
};
const isTls = (code: string) =>
  code in tlsHints || /^(ERR_SSL_|ERR_TLS_|CERT_|EPROTO$)/.test(code) || code.includes('CERT');

function classifyOne(error: SystemErrorLike): NetworkFailure | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (!code) return undefined;
  const where =
    typeof error.address === 'string' && error.port !== undefined
      ? `${error.address}:${String(error.port)}`
      : typeof error.address === 'string'
        ? error.address
        : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return {
        kind: 'refused',
        code,
        detail: `connection refused${where ? ` by ${where}` : ''} (nothing listens there)`,
      };
    case 'ENOTFOUND':
      return {
        kind: 'dns',
        code,
        detail:
          `DNS: host name ${typeof error.hostname === 'string' ? error.hostname : ''} not found`.replace(
            '  ',
            ' ',
          ),
      };
    case 'EAI_AGAIN':
      return {
        kind: 'dns',
        code,
        detail: `DNS: lookup of ${typeof error.hostname === 'string' ? error.hostname : 'the host'} failed (no DNS server answered)`,
      };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return {
        kind: 'timeout',
        code,
        detail:
          typeof error.timeoutMs === 'number'
            ? `timeout: no answer after ${seconds(error.timeoutMs)}`
            : 'timeout: no answer in time',
      };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return { kind: 'reset', code, detail: 'the connection was closed by the other side (or a proxy)' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'unreachable', code, detail: `no route to ${where ?? 'the host'} (${code})` };
    default:
      return isTls(code)
        ? {
            kind: 'tls',
            code,
            detail: `TLS error (${code}): ${tlsHints[code] ?? 'the secure connection failed'}`,
          }
        : undefined;
  }
}

/** The network failure behind `error`, if it is one; undefined for anything else (HTTP errors…). */
export function classifyNetworkFailure(error: unknown): NetworkFailure | undefined {
  // Innermost first: the system error is more precise than the wrappers' codes.
  for (const candidate of chain(error).reverse()) {
    const failure = classifyOne(candidate);
    if (failure) return failure;
  }
  return undefined;
}
