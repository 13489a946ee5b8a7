import { createHash, type KeyObject } from 'node:crypto';
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { JwtConfig } from '../config/types.js';
import { ProxyError } from '../errors.js';
import { createKeyResolver } from './key-resolver.js';
import { buildKeyRing } from './key-ring.js';

export type Clock = () => number;
export type KeySource = KeyObject | JWTVerifyGetKey;

export const DEFAULT_VERIFIED_CACHE_SIZE = 10_000;
/** A cached verification is re-done at least this often, so rotated-out keys stop working soon. */
export const VERIFIED_CACHE_MAX_AGE_MS = 60_000;

export interface JwtVerifier {
  /** Verifies signature and claims; resolves to the payload or throws a ProxyError. */
  verify(token: string): Promise<JWTPayload>;
}

/** Maps jose's error codes to the seed's error names (never its text). */
function mapJoseError(err: unknown): ProxyError {
  if (err instanceof ProxyError) return err;
  const e = err as { code?: unknown; claim?: unknown; reason?: unknown };
  if (e?.code === 'ERR_JWT_EXPIRED') return new ProxyError('TokenExpiredError');
  if (e?.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'nbf' && e.reason === 'check_failed') {
    return new ProxyError('NotBeforeError');
  }
  return new ProxyError('JsonWebTokenError');
}

/** The key source for static config (JWT_KEY, JWT_KEYS, JWT_PUBLIC_KEY), each key bound to its algorithms. */
export function staticKeySource(config: JwtConfig): KeySource {
  const { ring, problems } = buildKeyRing(config);
  if (problems.length > 0) throw new Error(`invalid JWT keys: ${problems.join('; ')}`);
  return createKeyResolver(ring) as JWTVerifyGetKey;
}

/**
 * Checks jose leaves to us: NumericDates must be finite (JSON's 1e400 is Infinity), `iat` must not be
 * in the future beyond the tolerance, and `exp - iat` must not exceed the maximum lifetime.
 */
function checkTimes(payload: JWTPayload, config: JwtConfig, nowSec: number): void {
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const value = payload[claim];
    if (value !== undefined && !Number.isFinite(value)) throw new ProxyError('JsonWebTokenError');
  }
  if (payload.iat !== undefined && payload.iat > nowSec + config.clockToleranceSec)
    throw new ProxyError('JsonWebTokenError');
  if (config.maxLifetimeSec === undefined) return;
  if (payload.iat === undefined || payload.exp === undefined) throw new ProxyError('JsonWebTokenError');
  if (payload.exp - payload.iat > config.maxLifetimeSec) throw new ProxyError('JsonWebTokenError');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const nonEmpty = (list: readonly string[] | undefined) => (list && list.length > 0 ? [...list] : undefined);

/**
 * Verifies JWTs with pinned algorithms and claim rules, and keeps a bounded cache of verified tokens
 * (keyed by the token's SHA-256; valid until `exp` plus tolerance, at most VERIFIED_CACHE_MAX_AGE_MS)
 * so a browser re-using its JWT does not pay for verification on every call.
 */
export function createJwtVerifier(
  config: JwtConfig,
  clock: Clock,
  key: KeySource = staticKeySource(config),
  cacheSize = DEFAULT_VERIFIED_CACHE_SIZE,
): JwtVerifier {
  const cache = new Map<string, { payload: JWTPayload; validUntilMs: number }>();
  const issuer = nonEmpty(config.issuer);
  const audience = nonEmpty(config.audience);
  const baseOptions: JWTVerifyOptions = {
    algorithms: [...config.algorithms],
    clockTolerance: config.clockToleranceSec,
    ...(issuer ? { issuer } : {}),
    ...(audience ? { audience } : {}),
    ...(config.requireExp ? { requiredClaims: ['exp'] } : {}),
  };

  function remember(id: string, payload: JWTPayload, nowMs: number): void {
    if (cacheSize <= 0) return;
    let validUntilMs = nowMs + VERIFIED_CACHE_MAX_AGE_MS;
    if (payload.exp !== undefined) {
      validUntilMs = Math.min(validUntilMs, (payload.exp + config.clockToleranceSec) * 1000);
    }
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(id, { payload, validUntilMs });
  }

  return {
    async verify(token) {
      const nowMs = clock();
      const id = createHash('sha256').update(token).digest('base64');
      const hit = cache.get(id);
      if (hit) {
        if (nowMs < hit.validUntilMs) return hit.payload;
        cache.delete(id);
      }
      let payload: JWTPayload;
      try {
        const result = await jwtVerify(token, key as JWTVerifyGetKey, {
          ...baseOptions,
          currentDate: new Date(nowMs),
        });
        payload = result.payload;
      } catch (err) {
        throw mapJoseError(err);
      }
      checkTimes(payload, config, Math.floor(nowMs / 1000));
      deepFreeze(payload);
      remember(id, payload, nowMs);
      return payload;
    },
  };
}
