import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What one request did, filled in as it goes and logged once when it ends. Holds no secret. */
export interface RequestContext {
  readonly requestId: string;
  readonly startedAt: bigint;
  route: 'open' | 'secure' | 'info' | 'health' | 'metrics' | 'preflight' | 'none';
  provider?: string;
  outcome?: string;
  subject?: string;
  tokenTag?: string;
  upstreamStatus?: number;
  upstreamMs?: number;
  /** Low-cardinality kind of an upstream failure (proxy/forward.ts upstreamErrorKind). */
  upstreamError?: string;
}

/** The client's X-Request-Id when well-formed, otherwise a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export function createContext(req: IncomingMessage): RequestContext {
  return { requestId: requestIdFor(req), startedAt: process.hrtime.bigint(), route: 'none' };
}

export function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}
