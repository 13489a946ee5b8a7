import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics on an injected registry (never prom-client's global one, so two apps can run in
 * one process). Labels are low-cardinality by construction: route kind, provider name, status code,
 * error name, limit scope, failure kind. Never a path, token, subject or IP.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Proxy requests being handled right now (both proxy routes, preflights excluded). */
  readonly inFlight: Gauge;
  /** Requests answered 429 by a rate limit; `scope` is e.g. `subject` or `token`. */
  readonly rateLimited: Counter<'scope'>;
  /** Called once per request when its response is done. */
  requestEnded(route: string, provider: string, status: number, seconds: number): void;
  /** Time from sending upstream to the upstream response headers. */
  upstreamObserved(provider: string, seconds: number): void;
  /** A secure-route request refused by JWT or allowlist checks, by error name. */
  authFailed(error: string): void;
  /** An upstream connection or pool failure, by kind (see proxy/forward.ts upstreamErrorKind). */
  upstreamFailed(provider: string, kind: string): void;
}

/** Seconds; from a fast cache hit to the 30 s default upstream timeout. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const AUTH_FAILURE_CODES: ReadonlySet<string> = new Set([
  'NoJWT',
  'TokenExpiredError',
  'NotBeforeError',
  'JsonWebTokenError',
  'NoAccessToken',
  'NoJWTAccessTokens',
  'AccessTokenNotPermitted',
]);

export function createMetrics(registry: Registry = new Registry()): Metrics {
  const registers = [registry];
  const requests = new Counter({
    name: 'igproxy_requests_total',
    help: 'Requests answered, by route kind, provider and HTTP status',
    labelNames: ['route', 'provider', 'status'] as const,
    registers,
  });
  const requestDuration = new Histogram({
    name: 'igproxy_request_duration_seconds',
    help: 'Time from request start to response end, by route kind and provider',
    labelNames: ['route', 'provider'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'igproxy_upstream_duration_seconds',
    help: 'Time from sending upstream to the response headers, by provider',
    labelNames: ['provider'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const authFailures = new Counter({
    name: 'igproxy_auth_failures_total',
    help: 'Secure-route requests refused by the JWT or access-token checks, by error name',
    labelNames: ['error'] as const,
    registers,
  });
  const upstreamErrors = new Counter({
    name: 'igproxy_upstream_errors_total',
    help: 'Upstream connection and pool failures, by provider and kind',
    labelNames: ['provider', 'kind'] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: 'igproxy_rate_limited_total',
    help: 'Requests refused with 429 by a rate limit, by scope',
    labelNames: ['scope'] as const,
    registers,
  });
  const inFlight = new Gauge({
    name: 'igproxy_in_flight_requests',
    help: 'Proxy requests being handled right now',
    registers,
  });
  return {
    registry,
    inFlight,
    rateLimited,
    requestEnded(route, provider, status, seconds) {
      requests.inc({ route, provider, status });
      requestDuration.observe({ route, provider }, seconds);
    },
    upstreamObserved(provider, seconds) {
      upstreamDuration.observe({ provider }, seconds);
    },
    authFailed(error) {
      authFailures.inc({ error });
    },
    upstreamFailed(provider, kind) {
      upstreamErrors.inc({ provider, kind });
    },
  };
}
