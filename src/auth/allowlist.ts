import { hash, timingSafeEqual } from 'node:crypto';
import { ProxyError } from '../errors.js';

const HASH_PREFIX = 'sha256:';
const HEX_DIGEST = /^[0-9a-f]{64}$/i;

/** One-shot `crypto.hash` (no Hash object per call): the same digest, a fraction of the CPU. */
function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

/** The claim's own value (a claim named `constructor` or `__proto__` is not inherited from Object). */
export function claimOf(payload: object, name: string): unknown {
  return Object.hasOwn(payload, name) ? (payload as Record<string, unknown>)[name] : undefined;
}

/**
 * Checks an access token against the JWT's claim. The claim must be an array of strings: each entry
 * is a token in clear or `sha256:<64 hex>` of it. Every entry is compared in constant time (over
 * fixed-length digests) and the loop never exits early. Anything malformed fails closed.
 */
export function checkAccessToken(claim: unknown, accessToken: string): void {
  if (claim === undefined) throw new ProxyError('NoJWTAccessTokens');
  if (!Array.isArray(claim) || !claim.every((entry) => typeof entry === 'string')) {
    throw new ProxyError('JsonWebTokenError', 'The tokens claim must be an array of strings');
  }
  const entries = claim as string[];
  if (entries.some((e) => e.startsWith(HASH_PREFIX) && !HEX_DIGEST.test(e.slice(HASH_PREFIX.length)))) {
    throw new ProxyError('JsonWebTokenError', 'A sha256 entry of the tokens claim is not 64 hex digits');
  }
  if (accessToken === '') throw new ProxyError('NoAccessToken');
  const tokenDigest = sha256(accessToken);
  const hashOfDigest = sha256(tokenDigest.toString('hex'));
  let permitted = false;
  for (const entry of entries) {
    const isHash = entry.startsWith(HASH_PREFIX);
    // Hashed entries are compared as hex text of the digest (case-insensitive), clear ones as digests.
    const match = isHash
      ? timingSafeEqual(sha256(entry.slice(HASH_PREFIX.length).toLowerCase()), hashOfDigest)
      : timingSafeEqual(sha256(entry), tokenDigest);
    permitted = match || permitted;
  }
  if (!permitted) throw new ProxyError('AccessTokenNotPermitted');
}
