import type { KeyObject } from 'node:crypto';
import type { JWSHeaderParameters } from 'jose';
import { ProxyError } from '../errors.js';
import type { JwksSource } from './jwks.js';
import { MAX_KID_LENGTH, type KeyRing, type VerificationKey } from './keys.js';

export type KeyResolver = (header: JWSHeaderParameters) => Promise<KeyObject>;

const invalid = () => new ProxyError('JsonWebTokenError');

/**
 * Picks the one key a token may be verified with. jose has already checked `alg` against
 * JWT_ALGORITHMS; here the key must also be bound to that `alg`. Headers that carry or point at keys
 * (`jwk`, `jku`, `x5u`, `x5c`) are never read, and any `crit` header is refused (we understand none).
 * Zero or several candidates fail closed: the proxy never tries keys one after another.
 */
export function createKeyResolver(ring: KeyRing, jwks?: JwksSource): KeyResolver {
  return async (header) => {
    if (header.crit !== undefined) throw invalid();
    const alg = header.alg;
    const given: unknown = header.kid;
    if (typeof alg !== 'string') throw invalid();
    if (given !== undefined && (typeof given !== 'string' || given === '' || given.length > MAX_KID_LENGTH))
      throw invalid();
    const kid = given as string | undefined;
    const fits = (k: VerificationKey) => k.algorithms.has(alg);
    let candidates: readonly VerificationKey[] = [];
    let askedJwks = false;
    // Map lookup: a kid such as `__proto__` or `../../etc/passwd` is just an unknown name.
    const named = kid === undefined ? undefined : ring.named.get(kid);
    if (named) candidates = named;
    else if (kid === undefined) candidates = ring.unnamed.filter(fits);
    if (candidates.length === 0 && !named && jwks) {
      candidates = await jwks.find(kid, alg);
      askedJwks = true;
    }
    if (askedJwks && !jwks?.loaded())
      throw new ProxyError('ServiceUnavailable', 'The JWT verification keys are not available');
    const usable = candidates.filter(fits);
    if (usable.length !== 1) throw invalid();
    return (usable[0] as VerificationKey).key;
  };
}
