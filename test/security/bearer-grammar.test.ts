import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError } from '../helpers/forge.js';
import { jwtFor } from '../helpers/jwt.js';
import { ACCESS_TOKEN, PATH, call, rawRequest, startPair } from '../helpers/security.js';

describe('security: Bearer grammar (RFC 6750 §2.1)', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  let jwt: string;
  before(async () => {
    pair = await startPair();
    jwt = jwtFor({ tokens: [ACCESS_TOKEN] });
  });
  after(() => pair.close());

  const accepted: Array<[string, (t: string) => string]> = [
    ['Bearer <jwt>', (t) => `Bearer ${t}`],
    ['bearer <jwt> (scheme case-insensitive)', (t) => `bearer ${t}`],
    ['BEARER <jwt>', (t) => `BEARER ${t}`],
    ['bEaReR <jwt>', (t) => `bEaReR ${t}`],
    ['Bearer  <jwt> (two spaces: 1*SP)', (t) => `Bearer  ${t}`],
  ];
  for (const [label, value] of accepted) {
    it(`${label} → 200`, async () => {
      assert.equal((await call(pair.proxy.url, { authorization: value(jwt) })).status, 200);
    });
  }

  const malformed: Array<[string, (t: string) => string]> = [
    ['Bearer<TAB><jwt>', (t) => `Bearer\t${t}`],
    ['Bearer alone', () => 'Bearer'],
    ['an empty value', () => ''],
    ['Bearer <jwt> <jwt>', (t) => `Bearer ${t} ${t}`],
    ['Bearer <jwt>, Bearer <jwt> (two credentials in one header)', (t) => `Bearer ${t}, Bearer ${t}`],
    ['Bearer "<jwt>" (quoted)', (t) => `Bearer "${t}"`],
    ['Bearer <jwt>; (trailing junk)', (t) => `Bearer ${t};`],
    ['Bearer <jwt with a % inside>', (t) => `Bearer ${t.slice(0, 10)}%${t.slice(10)}`],
  ];
  for (const [label, value] of malformed) {
    it(`${label} → 400 BadRequest`, async () => {
      const before = pair.upstream.received.length;
      assertError(await call(pair.proxy.url, { authorization: value(jwt) }), 400, 'BadRequest');
      assert.equal(pair.upstream.received.length, before);
    });
  }

  it('a tab between scheme and token on the raw wire → 400 BadRequest', async () => {
    const head = `GET ${PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\t${jwt}\r\nConnection: close\r\n\r\n`;
    assertError(await rawRequest(pair.proxy.url, head), 400, 'BadRequest');
  });

  const otherSchemes: Array<[string, (t: string) => string]> = [
    ['Basic', () => 'Basic dXNlcjpwYXNz'],
    ['Token <jwt>', (t) => `Token ${t}`],
    ['JWT <jwt>', (t) => `JWT ${t}`],
    ['Bearerx <jwt> (not the Bearer scheme)', (t) => `Bearerx ${t}`],
    ['<jwt> with no scheme', (t) => t],
  ];
  for (const [label, value] of otherSchemes) {
    it(`${label} is not a Bearer token → 401 NoJWT`, async () => {
      const before = pair.upstream.received.length;
      const answer = await call(pair.proxy.url, { authorization: value(jwt) });
      assertError(answer, 401, 'NoJWT');
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer /);
      assert.equal(pair.upstream.received.length, before);
    });
  }

  it('X-Authorization follows the same grammar', async () => {
    assert.equal((await call(pair.proxy.url, { 'x-authorization': `bearer ${jwt}` })).status, 200);
    assertError(await call(pair.proxy.url, { 'x-authorization': 'Bearer' }), 400, 'BadRequest');
    assertError(await call(pair.proxy.url, { 'x-authorization': 'Basic abc' }), 401, 'NoJWT');
  });
});
