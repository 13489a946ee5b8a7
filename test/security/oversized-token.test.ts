import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError } from '../helpers/forge.js';
import { jwtFor } from '../helpers/jwt.js';
import { ACCESS_TOKEN, PATH, bearer, call, rawRequest, startPair } from '../helpers/security.js';

const MAX_JWT_CHARS = 8192; // the documented limit

/** A valid JWT of exactly `length` characters (a filler claim sized by trial). */
function jwtOfLength(length: number): string {
  let filler = 0;
  let jwt = jwtFor({ tokens: [ACCESS_TOKEN], pad: '' });
  while (jwt.length < length) {
    filler += Math.max(1, Math.floor(((length - jwt.length) * 3) / 4));
    jwt = jwtFor({ tokens: [ACCESS_TOKEN], pad: 'x'.repeat(filler) });
  }
  while (jwt.length > length) jwt = jwtFor({ tokens: [ACCESS_TOKEN], pad: 'x'.repeat(--filler) });
  return jwt;
}

describe('security: oversized tokens', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair();
  });
  after(() => pair.close());

  it(`a valid JWT of ${MAX_JWT_CHARS} characters passes (the control)`, async () => {
    const jwt = jwtOfLength(MAX_JWT_CHARS);
    assert.ok(jwt.length === MAX_JWT_CHARS || jwt.length === MAX_JWT_CHARS - 1);
    assert.equal((await call(pair.proxy.url, bearer(jwt))).status, 200);
    pair.upstream.received.length = 0;
  });

  it('a valid JWT just over the limit → 401 JsonWebTokenError (header)', async () => {
    const jwt = jwtOfLength(MAX_JWT_CHARS + 4);
    assert.ok(jwt.length > MAX_JWT_CHARS);
    assertError(await call(pair.proxy.url, bearer(jwt)), 401, 'JsonWebTokenError');
  });

  it('a 200 kB jwt body parameter → 401 JsonWebTokenError', async () => {
    const res = await fetch(
      `${pair.proxy.url}/secure-proxy/instagram/media/1/likes?access_token=${ACCESS_TOKEN}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `jwt=${'a'.repeat(200_000)}.b.c`,
      },
    );
    assertError(
      { status: res.status, error: ((await res.json()) as { error: string }).error },
      401,
      'JsonWebTokenError',
    );
  });

  it('a 20 kB Authorization header → JSON 431 RequestHeadersTooLarge from the server (before our handler)', async () => {
    const head = `GET ${PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`;
    assert.deepEqual(await rawRequest(pair.proxy.url, head), {
      status: 431,
      error: 'RequestHeadersTooLarge',
    });
  });

  it('no rejected request reached the upstream', () => {
    assert.equal(pair.upstream.received.length, 0);
  });
});
