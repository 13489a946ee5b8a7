import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, claims, forgeRs256 } from '../helpers/forge.js';
import { startJwksServer, type JwksServer } from '../helpers/jwks-server.js';
import { publicJwk, rsaPair } from '../helpers/keys.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

const issuer = rsaPair();
const attacker = rsaPair();

describe('security: jwk / jku / x5u / x5c headers are never trusted, crit is refused', () => {
  let attackerHost: JwksServer;
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    attackerHost = await startJwksServer([publicJwk(attacker, 'attacker')]);
    pair = await startPair({ JWT_KEY: '', JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: issuer.publicPem });
  });
  after(async () => {
    await pair.close();
    await attackerHost.close();
  });

  const send = (header: Record<string, unknown>, key = attacker.privateKey, extra = {}) =>
    call(
      pair.proxy.url,
      bearer(forgeRs256({ alg: 'RS256', ...header }, claims(pair.clock.sec(), ACCESS_TOKEN, extra), key)),
    );

  it('an issuer token passes (the control)', async () => {
    assert.equal((await send({}, issuer.privateKey)).status, 200);
    pair.upstream.received.length = 0;
  });

  it("an embedded jwk (the attacker's own public key) signed by the attacker → 401 JsonWebTokenError", async () => {
    const jwk = attacker.publicKey.export({ format: 'jwk' });
    assertError(await send({ jwk }), 401, 'JsonWebTokenError');
    assertError(await send({ jwk: { ...jwk, kid: 'attacker' }, kid: 'attacker' }), 401, 'JsonWebTokenError');
  });

  for (const name of ['jku', 'x5u']) {
    it(`${name} pointing at the attacker's key set → 401 JsonWebTokenError, and it is never fetched`, async () => {
      assertError(await send({ [name]: attackerHost.url, kid: 'attacker' }), 401, 'JsonWebTokenError');
      assert.equal(attackerHost.fetches, 0);
    });
  }

  it("x5c with the attacker's key material → 401 JsonWebTokenError", async () => {
    const der = attacker.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    assertError(await send({ x5c: [der] }), 401, 'JsonWebTokenError');
  });

  it('an issuer token that also names jku/x5u passes with the configured key, and nothing is fetched', async () => {
    const answer = await send({ jku: attackerHost.url, x5u: attackerHost.url }, issuer.privateKey);
    assert.equal(answer.status, 200);
    assert.equal(attackerHost.fetches, 0);
    pair.upstream.received.length = 0;
  });

  const crits: Array<Record<string, unknown>> = [
    { crit: ['exp'], exp: 1 },
    { crit: ['b64'], b64: true },
    { crit: ['http://example.com/ext'], 'http://example.com/ext': 1 },
    { crit: [] },
    { crit: 'exp' },
  ];
  for (const header of crits) {
    it(`an issuer-signed token with ${JSON.stringify(header)} → 401 JsonWebTokenError`, async () => {
      assertError(await send(header, issuer.privateKey), 401, 'JsonWebTokenError');
    });
  }

  it('no rejected request reached the upstream', () => {
    assert.equal(pair.upstream.received.length, 0);
  });
});
