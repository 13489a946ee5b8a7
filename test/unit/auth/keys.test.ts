import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  algorithmsForKeyType,
  bindKey,
  parsePublicKeyText,
  parseSecretOrPublic,
} from '../../../src/auth/keys.js';
import { fixturePair } from '../../helpers/keys.js';

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
  const rsa = fixturePair('rsa-1').publicKey;
  const cases: Array<[string, ReturnType<typeof createSecretKey>, string[]]> = [
    ['HMAC secret', createSecretKey(Buffer.from('secret')), ['HS256', 'HS384', 'HS512']],
    ['RSA', rsa, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']],
    ['RSA-PSS', fixturePair('rsa-pss-1').publicKey, ['PS256', 'PS384', 'PS512']],
    ['EC P-256', fixturePair('ec-p256-1').publicKey, ['ES256']],
    ['EC P-384', fixturePair('ec-p384-1').publicKey, ['ES384']],
    ['EC P-521', fixturePair('ec-p521-1').publicKey, ['ES512']],
    ['EC secp256k1 (no JWS algorithm here)', fixturePair('ec-secp256k1-1').publicKey, []],
    ['Ed25519', fixturePair('ed25519-1').publicKey, ['EdDSA']],
    ['Ed448 (not supported)', fixturePair('ed448-1').publicKey, []],
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
