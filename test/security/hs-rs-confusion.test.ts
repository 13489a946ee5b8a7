import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsonwebtoken from 'jsonwebtoken';
import { validateConfig } from '../../src/config/validate.js';
import { assertError, claims, forgeHs } from '../helpers/forge.js';
import { rsaPair } from '../helpers/keys.js';
import { TEST_JWT_KEY, TEST_SECRET } from '../helpers/proxy.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

const rsa = rsaPair();
// The classic attack: the RSA public key (public knowledge) used as the HMAC secret of an HS256 token.
const confused = (nowSec: number, header: object = {}) =>
  forgeHs({ alg: 'HS256', typ: 'JWT', ...header }, claims(nowSec, ACCESS_TOKEN), rsa.publicPem);

describe('security: HS/RS confusion (the RSA public key used as an HMAC secret)', () => {
  describe('RS256 only, JWT_PUBLIC_KEY', () => {
    let pair: Awaited<ReturnType<typeof startPair>>;
    before(async () => {
      pair = await startPair({ JWT_KEY: '', JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: rsa.publicPem });
    });
    after(() => pair.close());

    it('a real RS256 token (jsonwebtoken) passes (the control)', async () => {
      const token = jsonwebtoken.sign({ tokens: [ACCESS_TOKEN] }, rsa.privatePem, {
        algorithm: 'RS256',
        expiresIn: 300,
      });
      assert.equal((await call(pair.proxy.url, bearer(token))).status, 200);
      pair.upstream.received.length = 0;
    });

    it('HS256 signed with the public PEM → 401 JsonWebTokenError', async () => {
      assertError(await call(pair.proxy.url, bearer(confused(pair.clock.sec()))), 401, 'JsonWebTokenError');
      assert.equal(pair.upstream.received.length, 0);
    });
  });

  describe('HS256 and RS256 both allowed, JWT_KEY and JWT_PUBLIC_KEY', () => {
    let pair: Awaited<ReturnType<typeof startPair>>;
    before(async () => {
      pair = await startPair({ JWT_ALGORITHMS: 'HS256,RS256', JWT_PUBLIC_KEY: rsa.publicPem });
    });
    after(() => pair.close());

    it('HS256 signed with the public PEM → 401 JsonWebTokenError (HS uses JWT_KEY only)', async () => {
      assertError(await call(pair.proxy.url, bearer(confused(pair.clock.sec()))), 401, 'JsonWebTokenError');
    });

    it('an RS256 header over an HMAC signature made with JWT_KEY → 401 JsonWebTokenError', async () => {
      const token = forgeHs({ alg: 'RS256' }, claims(pair.clock.sec(), ACCESS_TOKEN), TEST_JWT_KEY);
      assertError(await call(pair.proxy.url, bearer(token)), 401, 'JsonWebTokenError');
      assert.equal(pair.upstream.received.length, 0);
    });
  });

  describe('JWT_KEYS holding a PEM under a kid', () => {
    let pair: Awaited<ReturnType<typeof startPair>>;
    before(async () => {
      pair = await startPair({
        JWT_KEY: '',
        JWT_ALGORITHMS: 'HS256,RS256',
        JWT_KEYS: JSON.stringify({ rsa1: rsa.publicPem, hs1: TEST_JWT_KEY }),
      });
    });
    after(() => pair.close());

    it('kid rsa1 with an RS256 token passes, kid hs1 with an HS256 token passes (the controls)', async () => {
      const rs = jsonwebtoken.sign({ tokens: [ACCESS_TOKEN] }, rsa.privatePem, {
        algorithm: 'RS256',
        expiresIn: 300,
        keyid: 'rsa1',
      });
      const hs = jsonwebtoken.sign({ tokens: [ACCESS_TOKEN] }, TEST_JWT_KEY, {
        algorithm: 'HS256',
        expiresIn: 300,
        keyid: 'hs1',
      });
      assert.equal((await call(pair.proxy.url, bearer(rs))).status, 200);
      assert.equal((await call(pair.proxy.url, bearer(hs))).status, 200);
      pair.upstream.received.length = 0;
    });

    it('kid rsa1 with HS256 signed by its PEM text → 401 JsonWebTokenError', async () => {
      assertError(
        await call(pair.proxy.url, bearer(confused(pair.clock.sec(), { kid: 'rsa1' }))),
        401,
        'JsonWebTokenError',
      );
    });

    it('kid hs1 with an RS256 token → 401 JsonWebTokenError', async () => {
      const rs = jsonwebtoken.sign({ tokens: [ACCESS_TOKEN] }, rsa.privatePem, {
        algorithm: 'RS256',
        expiresIn: 300,
        keyid: 'hs1',
      });
      assertError(await call(pair.proxy.url, bearer(rs)), 401, 'JsonWebTokenError');
      assert.equal(pair.upstream.received.length, 0);
    });
  });

  it('a PEM given as JWT_KEY is refused at start-up, naming the key and not printing it', () => {
    const { config, problems } = validateConfig(
      { INSTAGRAM_CLIENT_SECRET: TEST_SECRET, JWT_KEY: rsa.publicPem },
      'test',
    );
    assert.equal(config, undefined);
    assert.equal(problems.length, 1);
    assert.match(problems[0] as string, /^JWT_KEY: /);
    assert.ok(!(problems[0] as string).includes('MII'));
  });
});
