import {
  bindKey,
  HMAC_ALGORITHMS,
  keyTypeName,
  looksLikeJwk,
  looksLikePem,
  MAX_KID_LENGTH,
  parseJwk,
  parsePublicKeyText,
  parseSecretOrPublic,
  type JwtKeyInput,
  type KeyRing,
  type Parsed,
  type VerificationKey,
} from './keys.js';

export interface KeyRingResult {
  readonly ring: KeyRing;
  /** Start-up problems, each naming the config key; never a key's text. */
  readonly problems: string[];
}

const label = (kid: string) => `JWT_KEYS[${JSON.stringify(kid.slice(0, 40))}]`;

function add(
  out: { named: Map<string, VerificationKey[]>; unnamed: VerificationKey[]; problems: string[] },
  where: string,
  parsed: Parsed,
  kid: string | undefined,
  algorithms: readonly string[],
): void {
  if (!parsed.ok) {
    out.problems.push(`${where}: ${parsed.why}`);
    return;
  }
  const bound = bindKey(parsed, kid, algorithms);
  if (bound.algorithms.size === 0) {
    out.problems.push(
      `${where}: ${keyTypeName(parsed.key)}, but JWT_ALGORITHMS (${algorithms.join(',')}) allows none of its algorithms`,
    );
    return;
  }
  if (kid === undefined) out.unnamed.push(bound);
  else out.named.set(kid, [...(out.named.get(kid) ?? []), bound]);
}

/** JWT_PUBLIC_KEY: one PEM or JWK, or a JWK Set `{"keys": [...]}` (each member selected by its kid). */
function addPublicKeys(out: Parameters<typeof add>[0], text: string, algorithms: readonly string[]): void {
  let set: unknown;
  if (looksLikeJwk(text)) {
    try {
      set = (JSON.parse(text) as { keys?: unknown }).keys;
    } catch {
      set = undefined;
    }
  }
  if (!Array.isArray(set)) {
    const parsed = parsePublicKeyText(text);
    add(out, 'JWT_PUBLIC_KEY', parsed, parsed.ok ? parsed.kid : undefined, algorithms);
    return;
  }
  set.forEach((jwk, i) => {
    const parsed = parseJwk(jwk);
    add(out, `JWT_PUBLIC_KEY keys[${i}]`, parsed, parsed.ok ? parsed.kid : undefined, algorithms);
  });
}

/**
 * Builds the static keys from JWT_KEY, JWT_KEYS and JWT_PUBLIC_KEY. Selection rules (README "JWT keys"):
 * a token with a `kid` uses only the key of that name; a token without one uses only an unnamed key
 * (JWT_KEY, or a JWT_PUBLIC_KEY without kid) whose type fits its `alg`.
 */
export function buildKeyRing(input: JwtKeyInput): KeyRingResult {
  const out = {
    named: new Map<string, VerificationKey[]>(),
    unnamed: [] as VerificationKey[],
    problems: [] as string[],
  };
  const { algorithms } = input;
  if (input.key) {
    if (looksLikePem(input.key) || looksLikeJwk(input.key)) {
      out.problems.push(
        'JWT_KEY: holds a PEM/JWK key; an HMAC secret must not be a public key (use JWT_PUBLIC_KEY)',
      );
    } else if (!algorithms.some((a) => HMAC_ALGORITHMS.includes(a))) {
      out.problems.push('JWT_KEY: set, but JWT_ALGORITHMS allows no HS algorithm');
    } else {
      add(out, 'JWT_KEY', parseSecretOrPublic(input.key), undefined, algorithms);
    }
  }
  for (const [kid, text] of Object.entries(input.keys ?? {})) {
    if (kid === '' || kid.length > MAX_KID_LENGTH) {
      out.problems.push(`JWT_KEYS: a kid must be 1 to ${MAX_KID_LENGTH} characters`);
      continue;
    }
    const parsed = parseSecretOrPublic(text);
    if (parsed.ok && parsed.kid !== undefined && parsed.kid !== kid) {
      out.problems.push(`${label(kid)}: the JWK names a different kid`);
      continue;
    }
    add(out, label(kid), parsed, kid, algorithms);
  }
  if (input.publicKey !== undefined) addPublicKeys(out, input.publicKey, algorithms);
  return { ring: { named: out.named, unnamed: out.unnamed }, problems: out.problems };
}

/** Every configured algorithm some static key can verify. */
export function coveredAlgorithms(ring: KeyRing): Set<string> {
  const covered = new Set<string>();
  for (const k of [...ring.unnamed, ...[...ring.named.values()].flat()]) {
    for (const a of k.algorithms) covered.add(a);
  }
  return covered;
}
