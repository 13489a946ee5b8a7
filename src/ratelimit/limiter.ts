import { createHash } from 'node:crypto';
import type { Config, RateLimitSpec } from '../config/types.js';
import { ProxyError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { limitStatus, tightest, type LimitCheck, type LimitStatus } from './gcra.js';
import { StoreUnavailableError, type RateLimitStore } from './store.js';

/** At most one "store down, letting through / refusing" log line per this many ms. */
export const FAIL_LOG_INTERVAL_MS = 30_000;

export type LimitHeaders = Readonly<Record<string, string>>;
/** Which limit refused a request (the `scope` label of igproxy_rate_limited_total). */
export type LimitScope = 'subject' | 'token';
type ScopedCheck = LimitCheck & { readonly scope: LimitScope };

export interface RateLimiter {
  readonly store: RateLimitStore;
  /**
   * Counts one request against the subject's and each access token's limit. Resolves to the
   * `RateLimit-*` headers for the response; throws ProxyError RateLimited (429) or, when the store is
   * down and RATE_LIMIT_FAIL_OPEN=false, ServiceUnavailable (503).
   */
  check(subject: string | undefined, accessTokens: readonly string[]): Promise<LimitHeaders>;
}

/** Store keys never hold a raw subject or token: a hash of it, under the configured prefix. */
export function limitKey(prefix: string, kind: 's' | 't', id: string): string {
  return `${prefix}${kind}:${createHash('sha256').update(id).digest('base64url').slice(0, 32)}`;
}

/** `RateLimit-*` (draft-ietf-httpapi-ratelimit-headers-07): the tightest limit, and every policy. */
export function limitHeaders(statuses: readonly LimitStatus[]): Record<string, string> {
  const t = tightest(statuses);
  if (!t) return {};
  const policies = statuses.map((s) => `${s.limit};w=${Math.ceil(s.windowMs / 1000)}`);
  return {
    'ratelimit-limit': String(t.limit),
    'ratelimit-remaining': String(t.remaining),
    'ratelimit-reset': String(t.resetSec),
    'ratelimit-policy': [...new Set(policies)].join(', '),
  };
}

function checksFor(config: Config, subject: string | undefined, tokens: readonly string[]): ScopedCheck[] {
  const checks: ScopedCheck[] = [];
  const add = (spec: RateLimitSpec | undefined, kind: 's' | 't', id: string) => {
    const scope = kind === 's' ? 'subject' : 'token';
    if (spec) checks.push({ key: limitKey(config.rateLimitKeyPrefix, kind, id), scope, ...spec });
  };
  if (subject !== undefined) add(config.rateLimitPerSubject, 's', subject);
  for (const token of new Set(tokens)) add(config.rateLimitPerToken, 't', token);
  return checks;
}

export function createRateLimiter(
  config: Config,
  store: RateLimitStore,
  logger: Logger,
  onLimited: (scope: LimitScope) => void = () => {},
): RateLimiter {
  let lastFailLog = -Infinity;

  function storeDown(err: StoreUnavailableError): LimitHeaders {
    const now = Date.now();
    if (now - lastFailLog >= FAIL_LOG_INTERVAL_MS) {
      lastFailLog = now;
      logger.warn(
        { store: store.kind, reason: err.reason, failOpen: config.rateLimitFailOpen },
        config.rateLimitFailOpen
          ? 'rate-limit store unavailable: letting requests through'
          : 'rate-limit store unavailable: refusing requests',
      );
    }
    if (!config.rateLimitFailOpen)
      throw new ProxyError('ServiceUnavailable', 'Rate limiting is unavailable; try again later', {
        'retry-after': '1',
      });
    return {};
  }

  return {
    store,
    async check(subject, accessTokens) {
      const checks = checksFor(config, subject, accessTokens);
      if (checks.length === 0) return {};
      let decision;
      try {
        decision = await store.consume(checks);
      } catch (err) {
        if (err instanceof StoreUnavailableError) return storeDown(err);
        throw err;
      }
      const statuses = checks.map((c, i) => limitStatus(c, decision.offsetsUs[i] ?? 0));
      const headers = limitHeaders(statuses);
      if (decision.allowed) return headers;
      const wait = Math.max(1, ...statuses.map((s) => s.retryAfterSec));
      const blocking = statuses.findIndex((s) => s.retryAfterSec === wait);
      onLimited(checks[Math.max(0, blocking)]?.scope ?? 'token');
      throw new ProxyError('RateLimited', undefined, { ...headers, 'retry-after': String(wait) });
    },
  };
}
