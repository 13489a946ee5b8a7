import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool, type Dispatcher } from 'undici';
import { ProxyError } from '../errors.js';
import { responseHeadersForClient, type OutgoingHeaders } from './headers.js';

export const DEFAULT_UPSTREAM_CONNECTIONS = 256;
export const DEFAULT_UPSTREAM_KEEPALIVE_MS = 30_000;

export interface UpstreamRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: OutgoingHeaders;
  readonly body: Buffer | undefined;
}

export interface UpstreamResult {
  readonly statusCode: number;
  readonly headers: OutgoingHeaders;
  readonly body: Dispatcher.ResponseData['body'];
}

/** One keep-alive pool per upstream origin; the origin is fixed when the pool is made. */
export function createUpstreamPool(
  origin: string,
  timeoutMs: number,
  connections = DEFAULT_UPSTREAM_CONNECTIONS,
): Pool {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: DEFAULT_UPSTREAM_KEEPALIVE_MS,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs },
  });
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

/** Classifies an undici/network failure by `err.code`; the dependency's text never reaches a client. */
export function upstreamError(err: unknown): ProxyError {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return new ProxyError('UpstreamTimeout');
  return new ProxyError('UpstreamUnavailable');
}

/** Sends the request; never follows redirects (undici's request does not). */
export async function sendUpstream(
  pool: Dispatcher,
  req: UpstreamRequest,
  signal: AbortSignal,
): Promise<UpstreamResult> {
  try {
    const res = await pool.request({
      method: req.method as Dispatcher.HttpMethod,
      path: req.path,
      headers: req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers,
      body: req.body,
      signal,
    });
    return {
      statusCode: res.statusCode,
      headers: responseHeadersForClient(res.headers),
      body: res.body,
    };
  } catch (err) {
    throw upstreamError(err);
  }
}

/** Streams the upstream response back untouched; a failure after the headers went out ends the socket. */
export async function streamToClient(result: UpstreamResult, res: ServerResponse): Promise<void> {
  res.writeHead(result.statusCode, result.headers);
  try {
    await pipeline(result.body, res);
  } catch {
    res.destroy();
  }
}
