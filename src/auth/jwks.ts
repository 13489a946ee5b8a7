import { Agent, request } from 'undici';
import type { Logger } from '../observability/logger.js';
import { bindKey, parseJwk, type VerificationKey } from './keys.js';
import type { Clock } from './verify.js';

export const JWKS_FETCH_TIMEOUT_MS = 5_000;
export const JWKS_MAX_BYTES = 512 * 1024;
export const JWKS_MAX_KEYS = 100;

export interface JwksOptions {
  readonly url: string;
  readonly algorithms: readonly string[];
  /** Keys older than this are refreshed in the background (requests keep using them meanwhile). */
  readonly cacheMaxAgeMs: number;
  /** At most one fetch per this interval, however many unknown `kid`s arrive (no refetch storm). */
  readonly cooldownMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface JwksSource {
  /** Keys usable for `alg` (with that `kid`, when given). Unknown kid → one refetch after the cooldown. */
  find(kid: string | undefined, alg: string): Promise<VerificationKey[]>;
  /** True once a set was loaded (readiness). */
  loaded(): boolean;
  /** Starts a fetch unless one ran within the cooldown; resolves when it is done. Never throws. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

class JwksFetchError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Turns a fetched JWK Set into keys; unusable members (secret, private, wrong `use`) are skipped. */
export function keysFromJwks(body: unknown, algorithms: readonly string[]): VerificationKey[] {
  const set = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(set) || set.length > JWKS_MAX_KEYS) throw new JwksFetchError('invalid_set');
  const keys: VerificationKey[] = [];
  for (const jwk of set as Array<Record<string, unknown>>) {
    if (jwk?.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk?.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify')))
      continue;
    const parsed = parseJwk(jwk);
    if (!parsed.ok) continue;
    const bound = bindKey(parsed, parsed.kid, algorithms);
    if (bound.algorithms.size > 0) keys.push(bound);
  }
  if (keys.length === 0) throw new JwksFetchError('no_usable_keys');
  return keys;
}

async function fetchJwks(agent: Agent, url: string): Promise<unknown> {
  const res = await request(url, {
    dispatcher: agent,
    method: 'GET',
    headers: { accept: 'application/jwk-set+json, application/json' },
    headersTimeout: JWKS_FETCH_TIMEOUT_MS,
    bodyTimeout: JWKS_FETCH_TIMEOUT_MS,
    signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS),
  });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new JwksFetchError('status');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > JWKS_MAX_BYTES) {
      res.body.destroy();
      throw new JwksFetchError('too_large');
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new JwksFetchError('invalid_json');
  }
}

/**
 * A remote JWK Set: fetched at start, refreshed in the background when older than the max age (and on
 * a timer), refetched for an unknown `kid` at most once per cool-down, and the last good set is kept
 * whenever the host fails. Redirects are never followed.
 */
export function createJwksSource(o: JwksOptions): JwksSource {
  const agent = new Agent({ connect: { timeout: JWKS_FETCH_TIMEOUT_MS } });
  let keys: VerificationKey[] | undefined;
  let fetchedAtMs = -Infinity;
  let lastAttemptMs = -Infinity;
  let inflight: Promise<void> | undefined;
  let closed = false;

  async function load(): Promise<void> {
    try {
      keys = keysFromJwks(await fetchJwks(agent, o.url), o.algorithms);
      fetchedAtMs = o.clock();
      o.logger.info({ jwksKeys: keys.length }, 'jwks loaded');
    } catch (err) {
      const reason =
        err instanceof JwksFetchError ? err.reason : ((err as { code?: string })?.code ?? 'network');
      o.logger.warn(
        { reason: String(reason).slice(0, 40), keptKeys: keys?.length ?? 0 },
        'jwks refresh failed',
      );
    }
  }

  function refresh(): Promise<void> {
    if (inflight) return inflight;
    if (closed || o.clock() - lastAttemptMs < o.cooldownMs) return Promise.resolve();
    lastAttemptMs = o.clock();
    inflight = load().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  const match = (kid: string | undefined, alg: string) =>
    (keys ?? []).filter((k) => (kid === undefined || k.kid === kid) && k.algorithms.has(alg));

  const timer = setInterval(() => void refresh(), Math.max(o.cacheMaxAgeMs, 1000));
  timer.unref();
  void refresh();

  return {
    async find(kid, alg) {
      if (!keys) await refresh();
      if (o.clock() - fetchedAtMs >= o.cacheMaxAgeMs) void refresh();
      const found = match(kid, alg);
      if (found.length > 0 || kid === undefined || keys?.some((k) => k.kid === kid)) return found;
      await refresh();
      return match(kid, alg);
    },
    loaded: () => keys !== undefined,
    refresh,
    async close() {
      closed = true;
      clearInterval(timer);
      // A fetch still running is abandoned (its failure is only logged): shutdown never waits on it.
      await agent.destroy();
      await inflight;
    },
  };
}
