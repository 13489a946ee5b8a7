import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { ProxyError } from '../errors.js';
import { responseHeadersForClient, type OutgoingHeaders } from './headers.js';
import { UpstreamRelay, type UpstreamBody } from './relay.js';

/** How long an idle upstream connection is kept for reuse (undici also honours the server's hint). */
export const DEFAULT_UPSTREAM_KEEPALIVE_MS = 30_000;

export interface UpstreamPoolLimits {
  /** Response headers timeout and body idle timeout. */
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxConnections: number;
}

export interface UpstreamRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: OutgoingHeaders;
  readonly body: Buffer | undefined;
}

export interface UpstreamResult {
  readonly statusCode: number;
  readonly headers: OutgoingHeaders;
  readonly body: UpstreamBody;
}

/** One keep-alive pool per upstream origin; the origin is fixed when the pool is made. */
export function createUpstreamPool(origin: string, limits: UpstreamPoolLimits): Pool {
  return new Pool(origin, {
    connections: limits.maxConnections,
    pipelining: 1,
    keepAliveTimeout: DEFAULT_UPSTREAM_KEEPALIVE_MS,
    headersTimeout: limits.timeoutMs,
    bodyTimeout: limits.timeoutMs,
    connect: { timeout: limits.connectTimeoutMs },
  });
}

export type UpstreamErrorKind =
  | 'connect_timeout'
  | 'headers_timeout'
  | 'body_timeout'
  | 'refused'
  | 'reset'
  | 'dns'
  | 'pool_closed'
  | 'aborted'
  | 'other';

const KIND_BY_CODE: Readonly<Record<string, UpstreamErrorKind>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect_timeout',
  ETIMEDOUT: 'connect_timeout',
  UND_ERR_HEADERS_TIMEOUT: 'headers_timeout',
  UND_ERR_BODY_TIMEOUT: 'body_timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  UND_ERR_CLOSED: 'pool_closed',
  UND_ERR_DESTROYED: 'pool_closed',
  UND_ERR_ABORTED: 'aborted',
  ABORT_ERR: 'aborted',
};
const TIMEOUT_KINDS: ReadonlySet<UpstreamErrorKind> = new Set([
  'connect_timeout',
  'headers_timeout',
  'body_timeout',
]);

/** A low-cardinality name for an undici/network failure, from `err.code` (then `err.cause.code`). */
export function upstreamErrorKind(err: unknown): UpstreamErrorKind {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | null;
  if (e?.name === 'AbortError') return 'aborted';
  for (const code of [e?.code, e?.cause?.code]) {
    if (typeof code === 'string' && KIND_BY_CODE[code]) return KIND_BY_CODE[code];
  }
  return 'other';
}

/** The ProxyError for a failed upstream call; `kind` is for logs and metrics, never for the client. */
export class UpstreamFailure extends ProxyError {
  readonly kind: UpstreamErrorKind;
  constructor(kind: UpstreamErrorKind) {
    super(TIMEOUT_KINDS.has(kind) ? 'UpstreamTimeout' : 'UpstreamUnavailable');
    this.kind = kind;
  }
}

/** Classifies an undici/network failure by `err.code`; the dependency's text never reaches a client. */
export function upstreamError(err: unknown): UpstreamFailure {
  return new UpstreamFailure(upstreamErrorKind(err));
}

/** Sends the request; never follows redirects (undici's dispatch does not). */
export async function sendUpstream(
  pool: Dispatcher,
  req: UpstreamRequest,
  /** Emits `abort` when the client went away; the upstream call is then cancelled. */
  signal: EventEmitter,
): Promise<UpstreamResult> {
  const relay = new UpstreamRelay();
  signal.once('abort', () => relay.cancel());
  pool.dispatch(
    {
      method: req.method as Dispatcher.HttpMethod,
      path: req.path,
      headers: req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers,
      body: req.body,
    },
    relay,
  );
  try {
    const head = await relay.head;
    return { statusCode: head.statusCode, headers: responseHeadersForClient(head.headers), body: relay };
  } catch (err) {
    throw upstreamError(err);
  }
}

/**
 * Sends upstream with one deadline from the moment we queue the request to the upstream's response
 * headers (undici's own timeouts start only once a connection is free), and aborts when the client
 * goes away. Past the deadline the client gets 504, whatever the pool was doing.
 */
export async function sendWithDeadline(
  pool: Dispatcher,
  request: UpstreamRequest,
  res: ServerResponse,
  deadlineMs: number,
) {
  // A plain EventEmitter as undici's signal: an AbortController per request (and the DOMException
  // its abort() builds) was ~10% of the proxy's CPU in the profile (bench/README.md). Only a response
  // that did not finish, or the deadline, cancels the upstream call.
  const cancel = new EventEmitter();
  let timedOut = false;
  res.once('close', () => {
    if (!res.writableFinished) cancel.emit('abort');
  });
  const timer = setTimeout(() => {
    timedOut = true;
    cancel.emit('abort');
  }, deadlineMs);
  try {
    return await sendUpstream(pool, request, cancel);
  } catch (err) {
    if (timedOut) throw new UpstreamFailure('headers_timeout');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Our headers (request id, CORS, rate limits) win over the upstream's same-named ones; Vary merges. */
export function keepOurHeaders(res: ServerResponse, upstream: OutgoingHeaders): void {
  for (const name of res.getHeaderNames()) {
    const theirs = upstream[name];
    if (theirs === undefined) continue;
    if (name === 'vary') res.setHeader('vary', `${String(res.getHeader('vary'))}, ${String(theirs)}`);
    delete upstream[name];
  }
}

/**
 * Streams the upstream response back untouched. A failure after the headers went out ends the socket;
 * its kind goes to `onFailure` first (synchronously, before the response's `close` fires). A client
 * that goes away cancels the upstream call (pipeline.ts), which releases the pooled connection.
 *
 * The body is relayed by relay.ts straight from undici's handler to `res` (no Readable, no
 * `stream.pipeline`, whose per-call AbortController + DOMException cost ~6% CPU: bench/README.md).
 */
export async function streamToClient(
  result: UpstreamResult,
  res: ServerResponse,
  onFailure?: (kind: UpstreamErrorKind) => void,
): Promise<void> {
  keepOurHeaders(res, result.headers);
  res.writeHead(result.statusCode, result.headers);
  try {
    await result.body.pipeTo(res);
  } catch (err) {
    onFailure?.(upstreamErrorKind(err));
    res.destroy();
  }
}
