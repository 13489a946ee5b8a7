import { generateKeyPairSync, type KeyObject } from 'node:crypto';

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

/** Fresh key pairs made by node:crypto (independent of our code). RSA is 2048 bits (jose's minimum). */
export const rsaPair = () => pair(generateKeyPairSync('rsa', { modulusLength: 2048 }));
export const ecPair = (namedCurve = 'P-256') => pair(generateKeyPairSync('ec', { namedCurve }));
export const edPair = () => pair(generateKeyPairSync('ed25519'));

/** The public key as a JWK with a kid (what a JWKS endpoint serves). */
export function publicJwk(kp: TestKeyPair, kid: string, extra: Record<string, unknown> = {}): object {
  return { ...kp.publicKey.export({ format: 'jwk' }), kid, use: 'sig', ...extra };
}
