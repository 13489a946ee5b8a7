import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { createRateLimiter, type LimitScope, type RateLimiter } from './limiter.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import type { RateLimitStore } from './store.js';

export type { RateLimiter, LimitHeaders, LimitScope } from './limiter.js';
export type { RateLimitStore } from './store.js';

/**
 * The configured limiter, or undefined when no limit is set. Counters live in Redis when REDIS_URL
 * is set (shared by every instance and worker), otherwise in this process's memory.
 */
export function rateLimiterFromConfig(
  config: Config,
  logger: Logger,
  clockMs: () => number,
  opts: { store?: RateLimitStore; onLimited?: (scope: LimitScope) => void } = {},
): RateLimiter | undefined {
  if (!config.rateLimitPerSubject && !config.rateLimitPerToken) return undefined;
  const chosen =
    opts.store ??
    (config.redisUrl
      ? createRedisStore({ url: config.redisUrl, timeoutMs: config.redisTimeoutMs, logger })
      : createMemoryStore(clockMs));
  return createRateLimiter(config, chosen, logger, opts.onLimited);
}
