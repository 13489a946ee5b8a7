import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../../src/config/validate.js';
import { ecPair, rsaPair } from '../../helpers/keys.js';

const rsa = rsaPair();
const ec = ecPair();
const problemsOf = (values: Record<string, string>) =>
  validateConfig({ INSTAGRAM_CLIENT_SECRET: 'client-secret', ...values }, 'test').problems;

describe('config: JWT keys and algorithms', () => {
  it('accepts each documented form', () => {
    const forms: Array<Record<string, string>> = [
      { JWT_KEY: 'shared-secret-value-1234' },
      { JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: rsa.publicPem },
      { JWT_ALGORITHMS: 'ES256', JWT_PUBLIC_KEY: JSON.stringify(ec.publicKey.export({ format: 'jwk' })) },
      { JWT_ALGORITHMS: 'HS256,RS256', JWT_KEYS: JSON.stringify({ a: 'secret', b: rsa.publicPem }) },
      { JWT_ALGORITHMS: 'RS256', JWT_JWKS_URL: 'https://issuer.example/.well-known/jwks.json' },
      { JWT_ALGORITHMS: 'RS256', JWT_JWKS_URL: 'http://127.0.0.1:9999/jwks' },
      { JWT_ALGORITHMS: 'RS256', JWT_JWKS_URL: 'http://localhost:9999/jwks' },
    ];
    for (const values of forms) assert.deepEqual(problemsOf(values), [], JSON.stringify(Object.keys(values)));
  });

  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'an asymmetric algorithm without a public key',
      { JWT_KEY: 'shared-secret-value-1234', JWT_ALGORITHMS: 'HS256,RS256' },
      /^JWT_ALGORITHMS: RS256 needs a public key/,
    ],
    [
      'an HS algorithm without a shared secret',
      { JWT_ALGORITHMS: 'HS256,RS256', JWT_PUBLIC_KEY: rsa.publicPem },
      /^JWT_ALGORITHMS: HS256 needs a shared secret/,
    ],
    [
      'a public key no configured algorithm fits',
      { JWT_ALGORITHMS: 'ES256', JWT_PUBLIC_KEY: rsa.publicPem },
      /^JWT_PUBLIC_KEY: an RSA key, but JWT_ALGORITHMS \(ES256\)/,
    ],
    [
      'an EC P-256 key with ES384 only',
      { JWT_ALGORITHMS: 'ES384', JWT_PUBLIC_KEY: ec.publicPem },
      /^JWT_PUBLIC_KEY: an EC prime256v1 key/,
    ],
    [
      'a private key as JWT_PUBLIC_KEY',
      { JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: rsa.privatePem },
      /^JWT_PUBLIC_KEY: is a private key/,
    ],
    [
      'a secret as JWT_PUBLIC_KEY',
      { JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: 'not-a-key' },
      /^JWT_PUBLIC_KEY: must be a PEM public key or a JWK/,
    ],
    [
      'a broken PEM in JWT_KEYS',
      {
        JWT_ALGORITHMS: 'RS256',
        JWT_KEYS: JSON.stringify({ k1: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }),
      },
      /^JWT_KEYS\["k1"\]: is not a readable PEM public key/,
    ],
    ['a PEM as JWT_KEY', { JWT_KEY: rsa.publicPem }, /^JWT_KEY: holds a PEM\/JWK key/],
    [
      'JWT_KEY with only asymmetric algorithms',
      { JWT_KEY: 'shared-secret-value-1234', JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: rsa.publicPem },
      /^JWT_KEY: set, but JWT_ALGORITHMS allows no HS algorithm/,
    ],
    [
      'plain http JWKS off loopback',
      { JWT_ALGORITHMS: 'RS256', JWT_JWKS_URL: 'http://issuer.example/jwks' },
      /^JWT_JWKS_URL: must be https/,
    ],
    [
      'a JWKS with HS algorithms only',
      { JWT_KEY: 'shared-secret-value-1234', JWT_JWKS_URL: 'https://issuer.example/jwks' },
      /^JWT_JWKS_URL: set, but JWT_ALGORITHMS lists no RS/,
    ],
    ['no key at all', {}, /^JWT_KEY: required for the secure route/],
  ];
  for (const [label, values, expected] of cases) {
    it(`${label} is a problem naming the key`, () => {
      const problems = problemsOf(values);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] as string, expected);
      const material = [
        rsa.publicPem.slice(30, 60),
        rsa.privatePem.slice(30, 60),
        'shared-secret',
        'not-a-key',
      ];
      for (const secret of material) {
        assert.ok(!(problems[0] as string).includes(secret), 'a problem never prints key material');
      }
    });
  }
});
