import { createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * Key material for JWT verification, parsed once at start-up. Every key carries the algorithms it may
 * verify: the configured JWT_ALGORITHMS intersected with what its type can do, so an HMAC secret never
 * verifies an RS/ES/EdDSA token and a public key never verifies an HS one (no HS/RS confusion).
 * Pure: no I/O, no clock.
 */
export interface VerificationKey {
  /** The `kid` a token names to select this key; undefined for JWT_KEY / an unnamed JWT_PUBLIC_KEY. */
  readonly kid: string | undefined;
  readonly key: KeyObject;
  readonly algorithms: ReadonlySet<string>;
}

/** Static keys: named ones (selected by `kid` only) and unnamed ones (for tokens without `kid`). */
export interface KeyRing {
  readonly named: ReadonlyMap<string, readonly VerificationKey[]>;
  readonly unnamed: readonly VerificationKey[];
}

export interface JwtKeyInput {
  readonly key: string | undefined;
  readonly keys: Readonly<Record<string, string>> | undefined;
  readonly publicKey: string | undefined;
  readonly algorithms: readonly string[];
}

export const HMAC_ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512'];
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const EC_ALGORITHMS: Record<string, readonly string[]> = {
  prime256v1: ['ES256'],
  secp384r1: ['ES384'],
  secp521r1: ['ES512'],
};
export const MAX_KID_LENGTH = 256;

/** What a key of this type can verify, before intersecting with the configured list. */
export function algorithmsForKeyType(key: KeyObject): readonly string[] {
  if (key.type === 'secret') return HMAC_ALGORITHMS;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return RSA_ALGORITHMS;
    case 'rsa-pss':
      return RSA_ALGORITHMS.filter((a) => a.startsWith('PS'));
    case 'ec':
      return EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? [];
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      return [];
  }
}

/** Human name of a key's type for problems (never the key itself). */
export function keyTypeName(key: KeyObject): string {
  if (key.type === 'secret') return 'an HMAC secret';
  const t = key.asymmetricKeyType ?? 'unknown';
  return t === 'ec' ? `an EC ${key.asymmetricKeyDetails?.namedCurve ?? ''} key` : `an ${t.toUpperCase()} key`;
}

export type Parsed = { ok: true; key: KeyObject; kid?: string; alg?: string } | { ok: false; why: string };

export function looksLikePem(text: string): boolean {
  return text.trimStart().startsWith('-----BEGIN');
}

export function looksLikeJwk(text: string): boolean {
  return text.trimStart().startsWith('{');
}

function parsePem(text: string): Parsed {
  if (/PRIVATE KEY-----/.test(text)) return { ok: false, why: 'is a private key; give the public key' };
  try {
    const key = createPublicKey(text.trim());
    return { ok: true, key };
  } catch {
    return { ok: false, why: 'is not a readable PEM public key' };
  }
}

/** A public JWK (object). Secret (`oct`) and private (`d`) JWKs are refused. */
export function parseJwk(jwk: unknown): Parsed {
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk))
    return { ok: false, why: 'is not a JWK object' };
  const j = jwk as Record<string, unknown>;
  if (j.kty === 'oct') return { ok: false, why: 'is a symmetric JWK; give HMAC secrets as text' };
  if ('d' in j) return { ok: false, why: 'is a private JWK; give the public key' };
  if (j.kid !== undefined && (typeof j.kid !== 'string' || j.kid === '' || j.kid.length > MAX_KID_LENGTH))
    return { ok: false, why: 'has an invalid kid' };
  if (j.alg !== undefined && typeof j.alg !== 'string') return { ok: false, why: 'has an invalid alg' };
  try {
    const key = createPublicKey({ key: j as JsonWebKey, format: 'jwk' });
    return { ok: true, key, kid: j.kid as string | undefined, alg: j.alg as string | undefined };
  } catch {
    return { ok: false, why: 'is not a usable public JWK' };
  }
}

/** Public key text: PEM, or a JWK as JSON. Anything else is refused (it is not a public key). */
export function parsePublicKeyText(text: string): Parsed {
  if (looksLikePem(text)) return parsePem(text);
  if (looksLikeJwk(text)) {
    try {
      return parseJwk(JSON.parse(text));
    } catch {
      return { ok: false, why: 'is not valid JSON' };
    }
  }
  return { ok: false, why: 'must be a PEM public key or a JWK' };
}

/** A JWT_KEYS value: PEM or JWK text is a public key, anything else an HMAC secret (UTF-8 bytes). */
export function parseSecretOrPublic(text: string): Parsed {
  if (looksLikePem(text) || looksLikeJwk(text)) return parsePublicKeyText(text);
  if (text.length === 0) return { ok: false, why: 'is empty' };
  return { ok: true, key: createSecretKey(Buffer.from(text, 'utf8')) };
}

/** Binds a parsed key to the configured algorithms (and to its own JWK `alg`, when it names one). */
export function bindKey(
  parsed: Extract<Parsed, { ok: true }>,
  kid: string | undefined,
  configured: readonly string[],
): VerificationKey {
  const own = new Set(algorithmsForKeyType(parsed.key));
  const algorithms = new Set(
    configured.filter((a) => own.has(a) && (parsed.alg === undefined || parsed.alg === a)),
  );
  return { kid, key: parsed.key, algorithms };
}
