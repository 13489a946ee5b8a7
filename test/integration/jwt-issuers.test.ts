import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import { assertError } from '../helpers/forge.js';
import { ecPair, edPair, publicJwk, rsaPair } from '../helpers/keys.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

const rsa = rsaPair();
const ec = ecPair();
const ed = edPair();

/** A token as a customer's issuer would mint it with jose. */
function joseToken(alg: string, key: KeyObject, kid?: string): Promise<string> {
  return new SignJWT({ tokens: [ACCESS_TOKEN] })
    .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

describe('real issuers: tokens minted by jsonwebtoken and jose verify', () => {
  it('HS256 / HS384 / HS512 from jsonwebtoken with JWT_KEY', async () => {
    const pair = await startPair({
      JWT_ALGORITHMS: 'HS256,HS384,HS512',
      JWT_KEY: 'a-shared-secret-of-forty-characters-0001',
    });
    try {
      for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
        const token = jsonwebtoken.sign(
          { tokens: [ACCESS_TOKEN] },
          'a-shared-secret-of-forty-characters-0001',
          {
            algorithm,
            expiresIn: '5m',
          },
        );
        assert.equal((await call(pair.proxy.url, bearer(token))).status, 200, algorithm);
      }
    } finally {
      await pair.close();
    }
  });

  it('RS256 from jsonwebtoken with an inline PEM; PS256 from jose with the PEM as @path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'igp-keys-'));
    const file = join(dir, 'issuer.pem');
    writeFileSync(file, rsa.publicPem);
    const inline = await startPair({ JWT_KEY: '', JWT_ALGORITHMS: 'RS256', JWT_PUBLIC_KEY: rsa.publicPem });
    const fromFile = await startPair({ JWT_KEY: '', JWT_ALGORITHMS: 'PS256', JWT_PUBLIC_KEY: `@${file}` });
    try {
      const rs = jsonwebtoken.sign({ tokens: [ACCESS_TOKEN] }, rsa.privatePem, {
        algorithm: 'RS256',
        expiresIn: '5m',
      });
      assert.equal((await call(inline.proxy.url, bearer(rs))).status, 200);
      assert.equal(
        (await call(fromFile.proxy.url, bearer(await joseToken('PS256', rsa.privateKey)))).status,
        200,
      );
      assertError(await call(fromFile.proxy.url, bearer(rs)), 401, 'JsonWebTokenError');
    } finally {
      await inline.close();
      await fromFile.close();
      rmSync(dir, { recursive: true });
    }
  });

  it('ES256 from jose with JWT_PUBLIC_KEY as a JWK; EdDSA from jose with an Ed25519 PEM', async () => {
    const es = await startPair({
      JWT_KEY: '',
      JWT_ALGORITHMS: 'ES256',
      JWT_PUBLIC_KEY: JSON.stringify(ec.publicKey.export({ format: 'jwk' })),
    });
    const eddsa = await startPair({ JWT_KEY: '', JWT_ALGORITHMS: 'EdDSA', JWT_PUBLIC_KEY: ed.publicPem });
    try {
      assert.equal((await call(es.proxy.url, bearer(await joseToken('ES256', ec.privateKey)))).status, 200);
      assert.equal(
        (await call(eddsa.proxy.url, bearer(await joseToken('EdDSA', ed.privateKey)))).status,
        200,
      );
      const es256 = jsonwebtoken.sign({ tokens: [ACCESS_TOKEN] }, ec.privatePem, {
        algorithm: 'ES256',
        expiresIn: '5m',
      });
      assert.equal((await call(es.proxy.url, bearer(es256))).status, 200, 'jsonwebtoken ES256');
    } finally {
      await es.close();
      await eddsa.close();
    }
  });
});

describe('JWT_KEYS: several keys of several types, each selected by kid and bound to its algorithms', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair({
      JWT_KEY: 'the-unnamed-secret-for-tokens-without-kid',
      JWT_ALGORITHMS: 'HS256,RS256,PS256,ES256,EdDSA',
      JWT_KEYS: JSON.stringify({
        '2026-11': 'the-previous-shared-secret-0123456789',
        '2026-12': 'the-current-shared-secret-9876543210',
        rsa: rsa.publicPem,
        ec: JSON.stringify(publicJwk(ec, 'ec')),
        ed: ed.publicPem,
      }),
    });
  });
  after(() => pair.close());

  const hs = (key: string, keyid?: string) =>
    jsonwebtoken.sign({ tokens: [ACCESS_TOKEN] }, key, {
      algorithm: 'HS256',
      expiresIn: '5m',
      ...(keyid ? { keyid } : {}),
    });

  it('both HS kids verify (rotation without downtime), and JWT_KEY serves tokens without kid', async () => {
    assert.equal(
      (await call(pair.proxy.url, bearer(hs('the-previous-shared-secret-0123456789', '2026-11')))).status,
      200,
    );
    assert.equal(
      (await call(pair.proxy.url, bearer(hs('the-current-shared-secret-9876543210', '2026-12')))).status,
      200,
    );
    assert.equal(
      (await call(pair.proxy.url, bearer(hs('the-unnamed-secret-for-tokens-without-kid')))).status,
      200,
    );
  });

  it('a kid with the other kid’s secret, or a named secret without its kid → 401 JsonWebTokenError', async () => {
    assertError(
      await call(pair.proxy.url, bearer(hs('the-previous-shared-secret-0123456789', '2026-12'))),
      401,
      'JsonWebTokenError',
    );
    assertError(
      await call(pair.proxy.url, bearer(hs('the-current-shared-secret-9876543210'))),
      401,
      'JsonWebTokenError',
    );
  });

  it('RS256, PS256, ES256 and EdDSA tokens verify under their kids', async () => {
    for (const [alg, key, kid] of [
      ['RS256', rsa.privateKey, 'rsa'],
      ['PS256', rsa.privateKey, 'rsa'],
      ['ES256', ec.privateKey, 'ec'],
      ['EdDSA', ed.privateKey, 'ed'],
    ] as const) {
      assert.equal((await call(pair.proxy.url, bearer(await joseToken(alg, key, kid)))).status, 200, alg);
    }
  });

  it('a valid signature under the wrong kid → 401 JsonWebTokenError', async () => {
    assertError(
      await call(pair.proxy.url, bearer(await joseToken('ES256', ec.privateKey, 'rsa'))),
      401,
      'JsonWebTokenError',
    );
    assertError(
      await call(pair.proxy.url, bearer(await joseToken('RS256', rsa.privateKey, 'ed'))),
      401,
      'JsonWebTokenError',
    );
  });
});
