import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS for browser callers, compiled once from CORS_ORIGINS (exact origins, validated in
 * config/cors-origins.ts; no wildcard anywhere). An allowed Origin gets `Access-Control-Allow-Origin:
 * <that origin>`; any other Origin gets no CORS header at all, so the browser refuses to hand the
 * response to the page. Credentials mode is never allowed: the JWT travels in a header, not a cookie.
 */
export const CORS_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const CORS_REQUEST_HEADERS: readonly string[] = [
  'Authorization',
  'X-Authorization',
  'Content-Type',
  'X-Request-Id',
];
/** Response headers a page may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS: readonly string[] = [
  'X-Request-Id',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];
/** How long a browser may cache a preflight answer. */
export const CORS_MAX_AGE_S = 600;

export interface Cors {
  /** On every proxy response: `Vary: Origin`, plus allow/expose headers when the Origin is allowed. */
  apply(req: IncomingMessage, res: ServerResponse): void;
  /** OPTIONS with an Origin and Access-Control-Request-Method: a browser's preflight. */
  isPreflight(req: IncomingMessage): boolean;
  /** Answers a preflight with 204; the allow headers only for an allowed origin, method and headers. */
  preflight(req: IncomingMessage, res: ServerResponse): void;
}

const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';

function headersAllowed(requested: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (!requested) return true;
  for (const name of requested.split(',')) {
    const n = name.trim().toLowerCase();
    if (n && !allowed.has(n)) return false;
  }
  return true;
}

export function createCors(origins: readonly string[]): Cors {
  const allowedOrigins = new Set(origins);
  const methods = new Set(CORS_METHODS);
  const requestHeaders = new Set(CORS_REQUEST_HEADERS.map((h) => h.toLowerCase()));
  const allowMethods = CORS_METHODS.join(', ');
  const allowHeaders = CORS_REQUEST_HEADERS.join(', ');
  const exposeHeaders = CORS_EXPOSED_HEADERS.join(', ');
  const maxAge = String(CORS_MAX_AGE_S);

  const allowedOrigin = (req: IncomingMessage): string | undefined => {
    const origin = req.headers.origin;
    return origin !== undefined && allowedOrigins.has(origin) ? origin : undefined;
  };

  return {
    apply(req, res) {
      res.setHeader('vary', 'Origin');
      const origin = allowedOrigin(req);
      if (origin === undefined) return;
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', exposeHeaders);
    },
    isPreflight(req) {
      return (
        req.method === 'OPTIONS' &&
        req.headers.origin !== undefined &&
        req.headers['access-control-request-method'] !== undefined
      );
    },
    preflight(req, res) {
      const origin = allowedOrigin(req);
      const method = req.headers['access-control-request-method'] as string;
      const requested = req.headers['access-control-request-headers'];
      res.removeHeader('access-control-expose-headers'); // only meaningful on actual responses
      res.setHeader('vary', PREFLIGHT_VARY);
      if (origin !== undefined && methods.has(method) && headersAllowed(requested, requestHeaders)) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-allow-methods', allowMethods);
        res.setHeader('access-control-allow-headers', allowHeaders);
        res.setHeader('access-control-max-age', maxAge);
      } else {
        res.removeHeader('access-control-allow-origin');
      }
      res.writeHead(204, { 'content-length': '0' });
      res.end();
    },
  };
}
