import type { JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { createJwksSource, type JwksSource } from './jwks.js';
import { createKeyResolver } from './key-resolver.js';
import { buildKeyRing } from './key-ring.js';
import { createJwtVerifier, type Clock, type JwtVerifier } from './verify.js';

export interface Auth {
  readonly verifier: JwtVerifier;
  /** The remote key set when JWT_JWKS_URL is set (readiness can ask `loaded()`). */
  readonly jwks: JwksSource | undefined;
  close(): Promise<void>;
}

/** Builds the verifier from config: static keys, plus a remote JWKS when configured. */
export function createAuth(config: JwtConfig, clock: Clock, logger: Logger): Auth {
  const { ring, problems } = buildKeyRing(config);
  if (problems.length > 0) throw new Error(`invalid JWT keys: ${problems.join('; ')}`);
  const jwks = config.jwksUrl
    ? createJwksSource({
        url: config.jwksUrl,
        algorithms: config.algorithms,
        cacheMaxAgeMs: config.jwksCacheMaxAgeSec * 1000,
        cooldownMs: config.jwksCooldownSec * 1000,
        clock,
        logger,
      })
    : undefined;
  const resolver = createKeyResolver(ring, jwks) as JWTVerifyGetKey;
  return {
    verifier: createJwtVerifier(config, clock, resolver),
    jwks,
    close: async () => jwks?.close(),
  };
}
