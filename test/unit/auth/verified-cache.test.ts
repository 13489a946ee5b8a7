import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { describe, it } from 'node:test';
import jsonwebtoken from 'jsonwebtoken';
import { createJwtVerifier } from '../../../src/auth/verify.js';
import { configFrom } from '../../../src/config/index.js';
import { assertError } from '../../helpers/forge.js';
import { TEST_JWT_KEY } from '../../helpers/proxy.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../../helpers/security.js';

const SECRET = 'a-secret-for-the-cache-tests-0123456789';
const T0 = 1_800_000_000; // seconds

describe('verified-token cache', () => {
  const config = configFrom({ INSTAGRAM_CLIENT_SECRET: 'x', JWT_KEY: SECRET }).jwt;

  /** A verifier whose key source counts how often it is asked, i.e. how often a token is verified. */
  function counting(nowMs: { v: number }) {
    const key = createSecretKey(Buffer.from(SECRET));
    const counter = { calls: 0 };
    const verifier = createJwtVerifier(
      config,
      () => nowMs.v,
      async () => {
        counter.calls += 1;
        return key;
      },
    );
    return { verifier, counter };
  }
  const mint = (exp: number) =>
    jsonwebtoken.sign({ tokens: [ACCESS_TOKEN], iat: T0, exp }, SECRET, { algorithm: 'HS256' });

  it('a repeated token is verified once; again after 60 s at most', async () => {
    const now = { v: T0 * 1000 };
    const { verifier, counter } = counting(now);
    const token = mint(T0 + 3600);
    await verifier.verify(token);
    await verifier.verify(token);
    now.v += 59_000;
    await verifier.verify(token);
    assert.equal(counter.calls, 1);
    now.v += 1_000;
    await verifier.verify(token);
    assert.equal(counter.calls, 2);
  });

  it('a cached token past exp + tolerance is rejected (TokenExpiredError), not served from the cache', async () => {
    const now = { v: T0 * 1000 };
    const { verifier, counter } = counting(now);
    const token = mint(T0 + 20);
    await verifier.verify(token);
    now.v = (T0 + 20 + 14) * 1000;
    await verifier.verify(token); // inside the 15 s tolerance
    now.v = (T0 + 20 + 15) * 1000;
    await assert.rejects(verifier.verify(token), { code: 'TokenExpiredError' });
    assert.equal(counter.calls, 2);
  });

  it('failures are not cached', async () => {
    const now = { v: T0 * 1000 };
    const { verifier, counter } = counting(now);
    const bad = `${mint(T0 + 60).slice(0, -2)}xx`;
    await assert.rejects(verifier.verify(bad), { code: 'JsonWebTokenError' });
    await assert.rejects(verifier.verify(bad), { code: 'JsonWebTokenError' });
    assert.equal(counter.calls, 2);
  });

  it('through the proxy: the same JWT passes, then past exp + tolerance → 401 TokenExpiredError', async () => {
    const pair = await startPair();
    try {
      const n = pair.clock.sec();
      const token = jsonwebtoken.sign({ tokens: [ACCESS_TOKEN], iat: n, exp: n + 30 }, TEST_JWT_KEY);
      assert.equal((await call(pair.proxy.url, bearer(token))).status, 200);
      assert.equal((await call(pair.proxy.url, bearer(token))).status, 200);
      pair.clock.now = (n + 30 + 15) * 1000;
      assertError(await call(pair.proxy.url, bearer(token)), 401, 'TokenExpiredError');
      assert.equal(pair.upstream.received.length, 2);
    } finally {
      await pair.close();
    }
  });
});
