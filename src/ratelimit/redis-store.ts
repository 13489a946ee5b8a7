import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import type { Logger } from '../observability/logger.js';
import { intervalUs, type LimitCheck } from './gcra.js';
import { StoreUnavailableError, type RateLimitStore } from './store.js';

/** Longest pause between reconnection attempts while Redis is down. */
export const REDIS_MAX_RECONNECT_DELAY_MS = 2_000;
/** At most one "still down" log line per this many ms (the first failure is always logged). */
export const REDIS_ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * gcraStep (gcra.ts) in Lua, atomic over all keys. The clock is Redis's own TIME, so instances with
 * skewed clocks still agree. ARGV: interval µs and window µs per key. Returns allowed, offsets µs.
 */
export const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tats, news, allowed = {}, {}, 1
for i = 1, #KEYS do
  local tat = tonumber(redis.call('GET', KEYS[i])) or now
  if tat < now then tat = now end
  tats[i] = tat
  news[i] = tat + tonumber(ARGV[2 * i - 1])
  if news[i] - tonumber(ARGV[2 * i]) > now then allowed = 0 end
end
local out = { allowed }
for i = 1, #KEYS do
  if allowed == 1 then
    local ttl = math.floor((news[i] - now) / 1000) + 1
    redis.call('SET', KEYS[i], string.format('%d', news[i]), 'PX', string.format('%d', ttl))
    out[i + 1] = news[i] - now
  else
    out[i + 1] = tats[i] - now
  end
end
return out`;
const GCRA_SHA = createHash('sha1').update(GCRA_SCRIPT).digest('hex');

/** `host:port` of a Redis URL: what logs may show (never the user or password). */
export function redisTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'redis';
  }
}

export interface RedisStoreOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** Shared store: every instance pointed at the same Redis and key prefix shares the limits. */
export function createRedisStore(opts: RedisStoreOptions): RateLimitStore {
  const target = redisTarget(opts.url);
  const client = createClient({
    url: opts.url,
    disableOfflineQueue: true, // while disconnected, fail now instead of queueing requests
    commandOptions: { timeout: opts.timeoutMs },
    socket: {
      connectTimeout: opts.timeoutMs,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, REDIS_MAX_RECONNECT_DELAY_MS),
    },
  });
  let lastErrorLog = -Infinity;
  let healthy = false;
  client.on('error', (err: { code?: unknown }) => {
    const now = Date.now();
    if (!healthy && now - lastErrorLog < REDIS_ERROR_LOG_INTERVAL_MS) return;
    healthy = false;
    lastErrorLog = now;
    const code = typeof err?.code === 'string' ? err.code : undefined;
    opts.logger.warn({ store: 'redis', target, code }, 'rate-limit store unavailable');
  });
  client.on('ready', () => {
    if (!healthy && lastErrorLog > -Infinity)
      opts.logger.info({ store: 'redis', target }, 'rate-limit store reachable again');
    healthy = true;
  });
  client.connect().catch(() => {}); // reconnects on its own; failures surface as 'error' events

  async function run(checks: readonly LimitCheck[]): Promise<unknown> {
    const keys = checks.map((c) => c.key);
    const args = checks.flatMap((c) => [String(intervalUs(c)), String(c.windowMs * 1000)]);
    try {
      return await client.evalSha(GCRA_SHA, { keys, arguments: args });
    } catch (err) {
      if (!String((err as Error)?.message).startsWith('NOSCRIPT')) throw err;
      return client.eval(GCRA_SCRIPT, { keys, arguments: args });
    }
  }

  return {
    kind: 'redis',
    async consume(checks) {
      let reply: unknown;
      try {
        reply = await run(checks);
      } catch (err) {
        throw new StoreUnavailableError((err as Error)?.name ?? 'error');
      }
      if (!Array.isArray(reply) || reply.length !== checks.length + 1)
        throw new StoreUnavailableError('unexpected reply');
      const [allowed, ...offsets] = reply.map(Number);
      return { allowed: allowed === 1, offsetsUs: offsets };
    },
    isReady: () => client.isReady,
    async close() {
      client.removeAllListeners('error');
      client.on('error', () => {});
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}
