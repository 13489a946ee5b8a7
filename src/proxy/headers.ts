import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 hop-by-hop headers, plus the de-facto ones proxies strip. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
/** Credentials of ours or the browser's that never go upstream. */
const CREDENTIALS = new Set(['authorization', 'x-authorization', 'cookie']);
/** Recomputed for the outgoing request (host from the fixed origin, length from the re-encoded body). */
const RECOMPUTED = new Set(['host', 'content-length', 'content-type', 'expect']);
/** Upstream response headers a browser must not receive from the API host through our origin. */
const RESPONSE_DROP = new Set(['set-cookie']);

const NONE: ReadonlySet<string> = new Set();

function connectionNamed(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined) return NONE;
  const names = new Set<string>();
  for (const part of ([] as string[]).concat(value ?? [])) {
    for (const name of part.split(',')) if (name.trim()) names.add(name.trim().toLowerCase());
  }
  return names;
}

export type OutgoingHeaders = Record<string, string | string[]>;

/** Headers forwarded upstream: hop-by-hop, Connection-named, credentials and recomputed ones removed. */
export function requestHeadersForUpstream(headers: IncomingHttpHeaders): OutgoingHeaders {
  const named = connectionNamed(headers.connection);
  const out: OutgoingHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || CREDENTIALS.has(name) || RECOMPUTED.has(name))
      continue;
    if (named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Upstream response headers sent to the client: everything but hop-by-hop, Connection-named, cookies
 * and the API host's own CORS headers (Graph sends `Access-Control-Allow-Origin: *`).
 */
export function responseHeadersForClient(
  headers: Record<string, string | string[] | undefined>,
): OutgoingHeaders {
  const named = connectionNamed(headers.connection);
  const out: OutgoingHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || RESPONSE_DROP.has(name) || named.has(name)) continue;
    if (name.startsWith('access-control-')) continue; // CORS is ours to answer (http/cors.ts), never the API's
    out[name] = value;
  }
  return out;
}
