import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError } from '../helpers/forge.js';
import { jwtFor } from '../helpers/jwt.js';
import { ACCESS_TOKEN, startPair } from '../helpers/security.js';

describe('security: JWTs in two places', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  const good = jwtFor({ tokens: [ACCESS_TOKEN] });
  const other = jwtFor({ tokens: [ACCESS_TOKEN], sub: 'someone-else' });
  before(async () => {
    pair = await startPair();
  });
  after(() => pair.close());

  async function send(o: { header?: string; xheader?: string; query?: string; body?: string }) {
    const q = new URLSearchParams({ access_token: ACCESS_TOKEN, ...(o.query ? { jwt: o.query } : {}) });
    const headers: Record<string, string> = {};
    if (o.header) headers.authorization = `Bearer ${o.header}`;
    if (o.xheader) headers['x-authorization'] = `Bearer ${o.xheader}`;
    let body: string | undefined;
    if (o.body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ jwt: o.body }).toString();
    }
    const res = await fetch(`${pair.proxy.url}/secure-proxy/instagram/media/1/likes?${q}`, {
      method: 'POST',
      headers,
      body,
    });
    const json = (await res.json()) as { error?: string };
    return { status: res.status, error: json.error };
  }

  const differing: Array<[string, Parameters<typeof send>[0]]> = [
    ['Authorization and the jwt query parameter', { header: good, query: other }],
    ['Authorization and the jwt body parameter', { header: other, body: good }],
    ['X-Authorization and the jwt body parameter', { xheader: good, body: other }],
    ['Authorization and X-Authorization', { header: good, xheader: other }],
  ];
  for (const [label, where] of differing) {
    it(`different JWTs in ${label} → 400 BadRequest`, async () => {
      assertError(await send(where), 400, 'BadRequest');
    });
  }

  it('a valid JWT next to an invalid one still → 400 BadRequest (never picks the good one)', async () => {
    assertError(await send({ header: good, query: 'not.a.jwt' }), 400, 'BadRequest');
  });

  it('jwt in both query and body → 400 DuplicateParameter, even when equal', async () => {
    assertError(await send({ query: good, body: good }), 400, 'DuplicateParameter');
  });

  it('no rejected request reached the upstream; the same JWT in header and body passes', async () => {
    assert.equal(pair.upstream.received.length, 0);
    assert.equal((await send({ header: good, body: good })).status, 200);
    assert.equal((await send({ header: good, xheader: good })).status, 200);
  });
});
