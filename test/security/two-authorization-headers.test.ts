import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { assertError } from '../helpers/forge.js';
import { jwtFor } from '../helpers/jwt.js';
import { ACCESS_TOKEN, PATH, rawRequest, startPair } from '../helpers/security.js';

/** node:http with an array header value sends the header once per value. */
function withArrayHeader(
  base: string,
  name: string,
  values: string[],
): Promise<{ status: number; error: string }> {
  return new Promise((resolve, reject) => {
    const req = request(base + PATH, { headers: { [name]: values } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, error: (JSON.parse(text) as { error: string }).error }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security: two credentials headers', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  let good: string;
  let other: string;
  before(async () => {
    pair = await startPair();
    good = jwtFor({ tokens: [ACCESS_TOKEN] });
    other = jwtFor({ tokens: ['someone-else'] });
  });
  after(() => pair.close());

  const raw = (...headers: string[]) =>
    `GET ${PATH} HTTP/1.1\r\nHost: x\r\n${headers.map((h) => `${h}\r\n`).join('')}Connection: close\r\n\r\n`;

  it('one Authorization header passes (the control)', async () => {
    assert.equal((await rawRequest(pair.proxy.url, raw(`Authorization: Bearer ${good}`))).status, 200);
    pair.upstream.received.length = 0;
  });

  it('two Authorization headers, different tokens (raw wire) → 400 BadRequest', async () => {
    const head = raw(`Authorization: Bearer ${other}`, `Authorization: Bearer ${good}`);
    assertError(await rawRequest(pair.proxy.url, head), 400, 'BadRequest');
  });

  it('two Authorization headers, the same token twice (raw wire) → 400 BadRequest', async () => {
    const head = raw(`Authorization: Bearer ${good}`, `authorization: Bearer ${good}`);
    assertError(await rawRequest(pair.proxy.url, head), 400, 'BadRequest');
  });

  it('a Basic header next to a Bearer one → 400 BadRequest', async () => {
    const head = raw('Authorization: Basic dXNlcjpwYXNz', `Authorization: Bearer ${good}`);
    assertError(await rawRequest(pair.proxy.url, head), 400, 'BadRequest');
  });

  it('two X-Authorization headers → 400 BadRequest', async () => {
    const head = raw(`X-Authorization: Bearer ${good}`, `X-Authorization: Bearer ${other}`);
    assertError(await rawRequest(pair.proxy.url, head), 400, 'BadRequest');
  });

  it('two Authorization headers via http.request with an array value → 400 BadRequest', async () => {
    assertError(
      await withArrayHeader(pair.proxy.url, 'authorization', [`Bearer ${good}`, `Bearer ${other}`]),
      400,
      'BadRequest',
    );
  });

  it('no rejected request reached the upstream', () => {
    assert.equal(pair.upstream.received.length, 0);
  });
});
