import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { JwtConfig } from '../config/types.js';
import { ProxyError } from '../errors.js';

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

/** The default key source: the shared `JWT_KEY` as UTF-8 bytes (what jsonwebtoken and the seed use). */
export function sharedSecretKey(config: JwtConfig): KeySource {
  if (!config.key) throw new Error('JWT_KEY is not configured');
  return createSecretKey(Buffer.from(config.key, 'utf8'));
}

function checkLifetime(payload: JWTPayload, maxLifetimeSec: number | undefined): void {
  if (maxLifetimeSec === undefined) return;
  if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number')
    throw new ProxyError('JsonWebTokenError');
  if (payload.exp - payload.iat > maxLifetimeSec) throw new ProxyError('JsonWebTokenError');
}

/**
 * Verifies JWTs with pinned algorithms and claim rules, and keeps a bounded cache of verified tokens
 * (valid until `exp` plus tolerance, at most VERIFIED_CACHE_MAX_AGE_MS) so a browser re-using its JWT
 * does not pay for verification on every call.
 */
export function createJwtVerifier(
  config: JwtConfig,
  clock: Clock,
  key: KeySource = sharedSecretKey(config),
  cacheSize = DEFAULT_VERIFIED_CACHE_SIZE,
): JwtVerifier {
  const cache = new Map<string, { payload: JWTPayload; validUntilMs: number }>();
  const baseOptions: JWTVerifyOptions = {
    algorithms: [...config.algorithms],
    clockTolerance: config.clockToleranceSec,
    ...(config.issuer ? { issuer: [...config.issuer] } : {}),
    ...(config.audience ? { audience: [...config.audience] } : {}),
    ...(config.requireExp ? { requiredClaims: ['exp'] } : {}),
  };

  function remember(token: string, payload: JWTPayload, nowMs: number): void {
    if (cacheSize <= 0) return;
    let validUntilMs = nowMs + VERIFIED_CACHE_MAX_AGE_MS;
    if (typeof payload.exp === 'number') {
      validUntilMs = Math.min(validUntilMs, (payload.exp + config.clockToleranceSec) * 1000);
    }
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(token, { payload, validUntilMs });
  }

  return {
    async verify(token) {
      const nowMs = clock();
      const hit = cache.get(token);
      if (hit) {
        if (nowMs < hit.validUntilMs) return hit.payload;
        cache.delete(token);
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
      checkLifetime(payload, config.maxLifetimeSec);
      remember(token, payload, nowMs);
      return payload;
    },
  };
}
