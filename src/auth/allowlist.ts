import { createHash, timingSafeEqual } from 'node:crypto';
import { ProxyError } from '../errors.js';

const HASH_PREFIX = 'sha256:';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Checks an access token against the JWT's claim. The claim must be an array of strings: each entry
 * is a token in clear or `sha256:<hex>` of it. Every entry is compared in constant time (over
 * fixed-length digests) and the loop never exits early. Anything malformed fails closed.
 */
export function checkAccessToken(claim: unknown, accessToken: string): void {
  if (claim === undefined) throw new ProxyError('NoJWTAccessTokens');
  if (!Array.isArray(claim) || !claim.every((entry) => typeof entry === 'string')) {
    throw new ProxyError('JsonWebTokenError', 'The tokens claim must be an array of strings');
  }
  const tokenDigest = sha256(accessToken);
  const hashOfDigest = sha256(tokenDigest.toString('hex'));
  let permitted = false;
  for (const entry of claim as string[]) {
    const isHash = entry.startsWith(HASH_PREFIX);
    // Hashed entries are compared as hex text of the digest (case-insensitive), clear ones as digests.
    const match = isHash
      ? timingSafeEqual(sha256(entry.slice(HASH_PREFIX.length).toLowerCase()), hashOfDigest)
      : timingSafeEqual(sha256(entry), tokenDigest);
    permitted = match || permitted;
  }
  if (!permitted) throw new ProxyError('AccessTokenNotPermitted');
}
