import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface TestKeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
  publicPem: string;
  privatePem: string;
}

function pair(kp: { publicKey: KeyObject; privateKey: KeyObject }): TestKeyPair {
  return {
    ...kp,
    publicPem: kp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privatePem: kp.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/**
 * Key pairs from test/fixtures/keys (made once by openssl, independent of our code). Not
 * generateKeyPairSync: on Node 20 a GC during a later key export can deadlock on a finished keygen
 * job (test/fixtures/keys/README.md). Each call in a process returns the next distinct pair.
 */
export function fixturePair(file: string): TestKeyPair {
  const privateKey = createPrivateKey(
    readFileSync(new URL(`../../../test/fixtures/keys/${file}.pem`, import.meta.url)),
  );
  return pair({ privateKey, publicKey: createPublicKey(privateKey) });
}

const used: Record<string, number> = {};
function next(prefix: string, count: number): TestKeyPair {
  const n = (used[prefix] = (used[prefix] ?? 0) + 1);
  if (n > count) throw new Error(`test/fixtures/keys has only ${count} ${prefix} pairs`);
  return fixturePair(`${prefix}-${n}`);
}

/** RSA is 2048 bits (jose's minimum). */
export const rsaPair = () => next('rsa', 6);
export const ecPair = (namedCurve = 'P-256') =>
  namedCurve === 'P-256'
    ? next('ec-p256', 4)
    : fixturePair(`ec-${namedCurve.toLowerCase().replace('-', '')}-1`);
export const edPair = () => next('ed25519', 4);

/** The public key as a JWK with a kid (what a JWKS endpoint serves). */
export function publicJwk(kp: TestKeyPair, kid: string, extra: Record<string, unknown> = {}): object {
  return { ...kp.publicKey.export({ format: 'jwk' }), kid, use: 'sig', ...extra };
}
