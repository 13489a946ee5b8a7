import { coveredAlgorithms, buildKeyRing } from '../auth/key-ring.js';
import { HMAC_ALGORITHMS, type JwtKeyInput } from '../auth/keys.js';

export interface JwtKeyConfig extends JwtKeyInput {
  readonly jwksUrl: string | undefined;
  readonly jwksCacheMaxAgeSec: number | undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** http is only acceptable when the JWK Set never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function jwksUrlProblems(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return []; // already reported as not an absolute URL
  }
  if (u.protocol === 'https:') return [];
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return [];
  if (u.protocol === 'http:') return ['JWT_JWKS_URL: must be https (plain http is allowed only on loopback)'];
  return ['JWT_JWKS_URL: must be an https URL'];
}

/**
 * Every problem with the JWT keys, each naming its key: unreadable or misplaced key material, keys no
 * configured algorithm can use, and configured algorithms no key can verify.
 */
export function jwtKeyProblems(c: JwtKeyConfig): string[] {
  if (!c.key && !c.keys && c.publicKey === undefined && !c.jwksUrl) {
    return ['JWT_KEY: required for the secure route (or JWT_KEYS, JWT_PUBLIC_KEY, JWT_JWKS_URL)'];
  }
  const { ring, problems } = buildKeyRing(c);
  if (c.jwksUrl) problems.push(...jwksUrlProblems(c.jwksUrl));
  if (c.jwksUrl && !c.algorithms.some((a) => !HMAC_ALGORITHMS.includes(a)))
    problems.push('JWT_JWKS_URL: set, but JWT_ALGORITHMS lists no RS/PS/ES/EdDSA algorithm');
  if ((c.jwksCacheMaxAgeSec ?? 1) < 1) problems.push('JWT_JWKS_CACHE_MAX_AGE: must be at least 1');
  if (problems.length > 0) return problems;
  const covered = coveredAlgorithms(ring);
  for (const alg of c.algorithms) {
    if (covered.has(alg)) continue;
    if (HMAC_ALGORITHMS.includes(alg)) {
      problems.push(`JWT_ALGORITHMS: ${alg} needs a shared secret; set JWT_KEY or a secret in JWT_KEYS`);
    } else if (!c.jwksUrl) {
      problems.push(
        `JWT_ALGORITHMS: ${alg} needs a public key; set JWT_PUBLIC_KEY, JWT_JWKS_URL or a PEM in JWT_KEYS`,
      );
    }
  }
  return problems;
}
