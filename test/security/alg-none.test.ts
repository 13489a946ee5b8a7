import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsonwebtoken from 'jsonwebtoken';
import { assertError, claims, forgeHs, forgeUnsigned } from '../helpers/forge.js';
import { TEST_JWT_KEY } from '../helpers/proxy.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

describe('security: alg "none" and missing algorithms are refused', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair({ JWT_ALGORITHMS: 'HS256,HS512' });
  });
  after(() => pair.close());

  const payload = () => claims(pair.clock.sec(), ACCESS_TOKEN);

  it('a correctly signed HS256 token passes (the control)', async () => {
    const answer = await call(
      pair.proxy.url,
      bearer(forgeHs({ alg: 'HS256', typ: 'JWT' }, payload(), TEST_JWT_KEY)),
    );
    assert.equal(answer.status, 200);
    assert.equal(pair.upstream.received.length, 1);
    pair.upstream.received.length = 0;
  });

  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    it(`alg "${alg}" with an empty signature → 401 JsonWebTokenError`, async () => {
      assertError(
        await call(pair.proxy.url, bearer(forgeUnsigned({ alg, typ: 'JWT' }, payload()))),
        401,
        'JsonWebTokenError',
      );
    });
  }

  it('alg "none" minted by jsonwebtoken → 401 JsonWebTokenError', async () => {
    const token = jsonwebtoken.sign(payload(), '', { algorithm: 'none' });
    assertError(
      await call(pair.proxy.url, { authorization: `Bearer ${token}` }, undefined),
      401,
      'JsonWebTokenError',
    );
  });

  it('alg "none" carrying a valid HS256 signature → 401 JsonWebTokenError', async () => {
    const good = forgeHs({ alg: 'HS256' }, payload(), TEST_JWT_KEY);
    const token = forgeUnsigned({ alg: 'none' }, payload(), good.split('.')[2]);
    assertError(await call(pair.proxy.url, bearer(token)), 401, 'JsonWebTokenError');
  });

  for (const header of [{ typ: 'JWT' }, { alg: '' }, { alg: null }, { alg: ['HS256'] }, { alg: 256 }]) {
    it(`header ${JSON.stringify(header)} → 401 JsonWebTokenError`, async () => {
      assertError(
        await call(pair.proxy.url, bearer(forgeHs(header, payload(), TEST_JWT_KEY))),
        401,
        'JsonWebTokenError',
      );
    });
  }

  it('a token with only two segments → 401 JsonWebTokenError', async () => {
    const [h, p] = forgeHs({ alg: 'HS256' }, payload(), TEST_JWT_KEY).split('.');
    assertError(await call(pair.proxy.url, bearer(`${h}.${p}`)), 401, 'JsonWebTokenError');
  });

  it('no rejected request reached the upstream', () => {
    assert.equal(pair.upstream.received.length, 0);
  });
});
