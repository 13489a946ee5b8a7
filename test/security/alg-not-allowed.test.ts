import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import { assertError } from '../helpers/forge.js';
import { ecPair, rsaPair } from '../helpers/keys.js';
import { TEST_JWT_KEY } from '../helpers/proxy.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

const rsa = rsaPair();
const ec = ecPair();
const jwt = (alg: jsonwebtoken.Algorithm, key: string) =>
  jsonwebtoken.sign({ tokens: [ACCESS_TOKEN] }, key, { algorithm: alg, expiresIn: 300 });

describe('security: an algorithm not in JWT_ALGORITHMS is refused, whatever the key', () => {
  describe('JWT_ALGORITHMS=HS256', () => {
    let pair: Awaited<ReturnType<typeof startPair>>;
    before(async () => {
      pair = await startPair({ JWT_ALGORITHMS: 'HS256' });
    });
    after(() => pair.close());

    it('HS256 passes (the control)', async () => {
      assert.equal((await call(pair.proxy.url, bearer(jwt('HS256', TEST_JWT_KEY)))).status, 200);
      pair.upstream.received.length = 0;
    });

    for (const alg of ['HS384', 'HS512'] as const) {
      it(`${alg} with the right secret → 401 JsonWebTokenError`, async () => {
        assertError(await call(pair.proxy.url, bearer(jwt(alg, TEST_JWT_KEY))), 401, 'JsonWebTokenError');
      });
    }

    it('RS256 → 401 JsonWebTokenError', async () => {
      assertError(await call(pair.proxy.url, bearer(jwt('RS256', rsa.privatePem))), 401, 'JsonWebTokenError');
      assert.equal(pair.upstream.received.length, 0);
    });
  });

  describe('JWT_ALGORITHMS=RS256 with an RSA public key', () => {
    let pair: Awaited<ReturnType<typeof startPair>>;
    before(async () => {
      pair = await startPair({ JWT_KEY: '', JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: rsa.publicPem });
    });
    after(() => pair.close());

    for (const alg of ['PS256', 'RS512'] as const) {
      it(`${alg} signed by the right RSA key → 401 JsonWebTokenError`, async () => {
        assertError(await call(pair.proxy.url, bearer(jwt(alg, rsa.privatePem))), 401, 'JsonWebTokenError');
      });
    }

    it('ES256 (jose) → 401 JsonWebTokenError', async () => {
      const token = await new SignJWT({ tokens: [ACCESS_TOKEN] })
        .setProtectedHeader({ alg: 'ES256' })
        .setExpirationTime('5m')
        .sign(ec.privateKey);
      assertError(await call(pair.proxy.url, bearer(token)), 401, 'JsonWebTokenError');
      assert.equal(pair.upstream.received.length, 0);
    });
  });
});
