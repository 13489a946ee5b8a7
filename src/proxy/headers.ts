import type { IncomingHttpHeaders } from 'node:http';
import { withoutSignatureParams } from './paging.js';

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
/**
 * The only client request headers that go upstream: content negotiation, caching and the user agent.
 * An allowlist, because the body is re-encoded and re-signed: anything describing the client's body
 * (Content-Encoding, Content-MD5, Digest, Content-Range), method/URL overrides (X-HTTP-Method-Override,
 * X-Original-URL), forwarding claims and every credential (Authorization, X-Authorization, Cookie)
 * would be wrong or dangerous at the API host. Content-Type and Content-Length are set by the proxy.
 */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-encoding',
  'accept-language',
  'user-agent',
  'if-none-match',
  'if-modified-since',
  'cache-control',
] as const;
/** Upstream response headers a browser must not receive from the API host through our origin. */
const RESPONSE_DROP = new Set(['set-cookie']);

const NONE: ReadonlySet<string> = new Set();
/** The values nearly every message carries, parsed once instead of per request. */
const COMMON_CONNECTION: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  ['keep-alive', 'close', 'Keep-Alive', 'Close'].map((v) => [v, new Set([v.toLowerCase()])]),
);

function connectionNamed(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined) return NONE;
  const common = typeof value === 'string' ? COMMON_CONNECTION.get(value) : undefined;
  if (common) return common;
  const names = new Set<string>();
  for (const part of ([] as string[]).concat(value ?? [])) {
    for (const name of part.split(',')) if (name.trim()) names.add(name.trim().toLowerCase());
  }
  return names;
}

export type OutgoingHeaders = Record<string, string | string[]>;

/** Headers forwarded upstream: the allowlisted ones, less any the client named in `Connection`. */
export function requestHeadersForUpstream(headers: IncomingHttpHeaders): OutgoingHeaders {
  const named = connectionNamed(headers.connection);
  const out: OutgoingHeaders = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = headers[name];
    if (value !== undefined && !named.has(name)) out[name] = value;
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
    // A redirect is passed back, never followed; our signature never rides along in it.
    out[name] = name === 'location' && typeof value === 'string' ? withoutSignatureParams(value) : value;
  }
  return out;
}
