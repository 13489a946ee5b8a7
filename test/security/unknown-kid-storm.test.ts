import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { assertError, claims, forgeRs256 } from '../helpers/forge.js';
import { startJwksServer, type JwksServer } from '../helpers/jwks-server.js';
import { publicJwk, rsaPair } from '../helpers/keys.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

const issuer = rsaPair();
const attacker = rsaPair();
const STORM = 40;

describe('security: a storm of unknown kids does not storm the JWKS host', () => {
  let jwks: JwksServer;
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    jwks = await startJwksServer([publicJwk(issuer, 'issuer-1')]);
    pair = await startPair({
      JWT_KEY: '',
      JWT_ALGORITHMS: 'RS256',
      JWT_JWKS_URL: jwks.url,
      JWT_JWKS_COOLDOWN: '30',
    });
  });
  after(async () => {
    await pair.close();
    await jwks.close();
  });

  const token = (kid: string, key = attacker.privateKey) =>
    forgeRs256({ alg: 'RS256', kid }, claims(pair.clock.sec(), ACCESS_TOKEN), key);
  const storm = () =>
    Promise.all(Array.from({ length: STORM }, () => call(pair.proxy.url, bearer(token(randomUUID())))));

  it('the issuer key verifies after the first fetch (the control)', async () => {
    assert.equal((await call(pair.proxy.url, bearer(token('issuer-1', issuer.privateKey)))).status, 200);
    assert.equal(jwks.fetches, 1);
    pair.upstream.received.length = 0;
  });

  it(`${STORM} unknown kids within the cool-down → all 401 JsonWebTokenError, no fetch`, async () => {
    for (const answer of await storm()) assertError(answer, 401, 'JsonWebTokenError');
    assert.equal(jwks.fetches, 1);
  });

  it(`after the cool-down, ${STORM} concurrent unknown kids cause exactly one fetch`, async () => {
    pair.clock.now += 31_000;
    for (const answer of await storm()) assertError(answer, 401, 'JsonWebTokenError');
    assert.equal(jwks.fetches, 2);
    for (const answer of await storm()) assertError(answer, 401, 'JsonWebTokenError');
    assert.equal(jwks.fetches, 2);
  });

  it('a known kid with a forged signature never causes a fetch', async () => {
    pair.clock.now += 31_000;
    const answer = await call(pair.proxy.url, bearer(token('issuer-1')));
    assertError(answer, 401, 'JsonWebTokenError');
    assert.equal(jwks.fetches, 2);
  });

  it('no rejected request reached the upstream', () => {
    assert.equal(pair.upstream.received.length, 0);
  });
});
