import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  algorithmsForKeyType,
  bindKey,
  parsePublicKeyText,
  parseSecretOrPublic,
} from '../../../src/auth/keys.js';

const ALL = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

describe('keys: each key type verifies only its own algorithms (RFC 7518 §3.1, RFC 8037)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  const cases: Array<[string, ReturnType<typeof createSecretKey>, string[]]> = [
    ['HMAC secret', createSecretKey(Buffer.from('secret')), ['HS256', 'HS384', 'HS512']],
    ['RSA', rsa, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']],
    [
      'RSA-PSS',
      generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey,
      ['PS256', 'PS384', 'PS512'],
    ],
    ['EC P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, ['ES256']],
    ['EC P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey, ['ES384']],
    ['EC P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey, ['ES512']],
    [
      'EC secp256k1 (no JWS algorithm here)',
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey,
      [],
    ],
    ['Ed25519', generateKeyPairSync('ed25519').publicKey, ['EdDSA']],
    ['Ed448 (not supported)', generateKeyPairSync('ed448').publicKey, []],
  ];
  for (const [label, key, expected] of cases) {
    it(label, () => {
      assert.deepEqual(
        ALL.filter((a) => algorithmsForKeyType(key).includes(a)),
        expected,
      );
    });
  }

  it("a JWK's alg narrows the key to that algorithm", () => {
    const parsed = parsePublicKeyText(
      JSON.stringify({ ...rsa.export({ format: 'jwk' }), alg: 'PS256', kid: 'k' }),
    );
    assert.ok(parsed.ok);
    if (!parsed.ok) return;
    assert.equal(parsed.kid, 'k');
    assert.deepEqual([...bindKey(parsed, 'k', ['RS256', 'PS256']).algorithms], ['PS256']);
  });

  it('JWT_KEYS text: PEM and JWK are public keys, anything else is a secret; secret JWKs are refused', () => {
    const pem = rsa.export({ format: 'pem', type: 'spki' }).toString();
    assert.equal((parseSecretOrPublic(pem) as { key: { type: string } }).key.type, 'public');
    assert.equal((parseSecretOrPublic('plain secret') as { key: { type: string } }).key.type, 'secret');
    assert.deepEqual(parseSecretOrPublic('{"kty":"oct","k":"c2VjcmV0"}'), {
      ok: false,
      why: 'is a symmetric JWK; give HMAC secrets as text',
    });
    assert.equal(parseSecretOrPublic('').ok, false);
  });
});
