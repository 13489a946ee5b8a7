import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import type { KeyObject } from 'node:crypto';
import { assertError, forgeHs } from '../helpers/forge.js';
import { eventually, startJwksServer, type JwksServer } from '../helpers/jwks-server.js';
import { ecPair, publicJwk, rsaPair } from '../helpers/keys.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

const keyA = rsaPair();
const keyB = ecPair();
let serial = 0;

/** A fresh token each time (a new jti), so the verified-token cache never answers for it. */
function token(alg: string, key: KeyObject, kid: string | undefined, nowSec: number): Promise<string> {
  return new SignJWT({ tokens: [ACCESS_TOKEN] })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setJti(String((serial += 1)))
    .setIssuedAt(nowSec)
    .setExpirationTime(nowSec + 300)
    .sign(key);
}

const JWKS_CONFIG = {
  JWT_KEY: '',
  JWT_ALGORITHMS: 'RS256,ES256',
  JWT_JWKS_COOLDOWN: '30',
  JWT_JWKS_CACHE_MAX_AGE: '600',
};

describe('JWKS: a real local key-set host, rotation, refresh and failures', () => {
  let jwks: JwksServer;
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    jwks = await startJwksServer([publicJwk(keyA, 'a', { alg: 'RS256' })]);
    pair = await startPair({ ...JWKS_CONFIG, JWT_JWKS_URL: jwks.url });
  });
  after(async () => {
    await pair.close();
    await jwks.close();
  });
  const now = () => pair.clock.sec();
  const status = async (t: Promise<string>) => (await call(pair.proxy.url, bearer(await t))).status;

  it('a token whose kid is in the set verifies; the set was fetched once', async () => {
    assert.equal(await status(token('RS256', keyA.privateKey, 'a', now())), 200);
    assert.equal(jwks.fetches, 1);
  });

  it('rotation: a key added to the set verifies without restart (one refetch after the cool-down)', async () => {
    jwks.jwks.keys.push(publicJwk(keyB, 'b'));
    pair.clock.now += 31_000;
    assert.equal(await status(token('ES256', keyB.privateKey, 'b', now())), 200);
    assert.equal(jwks.fetches, 2);
    assert.equal(await status(token('RS256', keyA.privateKey, 'a', now())), 200);
  });

  it('the host failing keeps the last good keys; a stale set is refreshed in the background', async () => {
    jwks.mode = 500;
    pair.clock.now += 601_000;
    assert.equal(await status(token('RS256', keyA.privateKey, 'a', now())), 200);
    await eventually(() => jwks.fetches === 3, 'the background refresh');
    jwks.mode = 'reset';
    pair.clock.now += 601_000;
    assert.equal(await status(token('ES256', keyB.privateKey, 'b', now())), 200);
    await eventually(() => jwks.fetches === 4, 'the second background refresh');
    assert.equal(await status(token('ES256', keyB.privateKey, 'b', now())), 200);
  });

  it('a background refresh that succeeds drops a key removed from the set', async () => {
    jwks.mode = 'ok';
    jwks.jwks.keys = [publicJwk(keyB, 'b')];
    pair.clock.now += 601_000;
    assert.equal(await status(token('ES256', keyB.privateKey, 'b', now())), 200);
    await eventually(() => jwks.fetches === 5, 'the refresh');
    // kid a is now unknown; within the cool-down it is not refetched.
    assertError(
      await call(pair.proxy.url, bearer(await token('RS256', keyA.privateKey, 'a', now()))),
      401,
      'JsonWebTokenError',
    );
    assert.equal(jwks.fetches, 5);
  });
});

describe('JWKS: members that must not be used', () => {
  let jwks: JwksServer;
  let pair: Awaited<ReturnType<typeof startPair>>;
  const SECRET = 'a-secret-published-in-the-jwks-0123456789';
  before(async () => {
    jwks = await startJwksServer([
      { kty: 'oct', kid: 'hs', k: Buffer.from(SECRET).toString('base64url') },
      { ...keyA.privateKey.export({ format: 'jwk' }), kid: 'private' },
      publicJwk(keyA, 'enc', { use: 'enc' }),
      publicJwk(keyA, 'only-ps', { alg: 'PS256' }),
      publicJwk(keyB, 'single'),
      publicJwk(keyA, 'r1'),
      publicJwk(keyA, 'r2'),
    ]);
    pair = await startPair({
      JWT_KEY: 'the-configured-shared-secret-0123456789',
      JWT_ALGORITHMS: 'HS256,RS256,ES256',
      JWT_JWKS_URL: jwks.url,
    });
  });
  after(async () => {
    await pair.close();
    await jwks.close();
  });

  it('a symmetric JWK in the set never verifies HS tokens → 401 JsonWebTokenError', async () => {
    const n = pair.clock.sec();
    const t = forgeHs({ alg: 'HS256', kid: 'hs' }, { tokens: [ACCESS_TOKEN], exp: n + 60 }, SECRET);
    assertError(await call(pair.proxy.url, bearer(t)), 401, 'JsonWebTokenError');
  });

  it('private, use=enc and alg-restricted members are skipped → 401 JsonWebTokenError', async () => {
    for (const kid of ['private', 'enc', 'only-ps']) {
      const t = await token('RS256', keyA.privateKey, kid, pair.clock.sec());
      assertError(await call(pair.proxy.url, bearer(t)), 401, 'JsonWebTokenError');
    }
  });

  it('a token without kid uses the single usable key of its type; with two candidates → 401', async () => {
    const t = await token('ES256', keyB.privateKey, undefined, pair.clock.sec());
    assert.equal((await call(pair.proxy.url, bearer(t))).status, 200);
    const two = await token('RS256', keyA.privateKey, undefined, pair.clock.sec());
    assertError(await call(pair.proxy.url, bearer(two)), 401, 'JsonWebTokenError');
  });
});

describe('JWKS: host down at start', () => {
  it('→ 503 ServiceUnavailable without a fetch per request; verifies once the host is back', async () => {
    const jwks = await startJwksServer([publicJwk(keyB, 'b')]);
    jwks.mode = 503;
    const pair = await startPair({ ...JWKS_CONFIG, JWT_JWKS_URL: jwks.url });
    try {
      for (let i = 0; i < 5; i += 1) {
        const t = await token('ES256', keyB.privateKey, 'b', pair.clock.sec());
        assertError(await call(pair.proxy.url, bearer(t)), 503, 'ServiceUnavailable');
      }
      assert.equal(jwks.fetches, 1);
      assert.equal(pair.upstream.received.length, 0);
      const notReady = await fetch(`${pair.proxy.url}/readyz`);
      assert.equal(notReady.status, 503);
      assert.equal(((await notReady.json()) as { checks: Record<string, string> }).checks.jwks, 'fail');
      jwks.mode = 'ok';
      pair.clock.now += 31_000;
      const t = await token('ES256', keyB.privateKey, 'b', pair.clock.sec());
      assert.equal((await call(pair.proxy.url, bearer(t))).status, 200);
      assert.equal(jwks.fetches, 2);
      const ready = await fetch(`${pair.proxy.url}/readyz`);
      assert.equal(((await ready.json()) as { checks: Record<string, string> }).checks.jwks, 'ok');
    } finally {
      await pair.close();
      await jwks.close();
    }
  });
});
