import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMockInstagram, type MockInstagram } from '../../src/mock/instagram.js';
import { jwtFor } from '../helpers/jwt.js';
import { form, send } from '../helpers/http.js';
import { startProxy, TEST_SECRET, type RunningProxy } from '../helpers/proxy.js';

const TOKEN = 'fb2e77d.47a0479900504cb3ab4a1f626d174d2d';
const MEDIA = '1234567894561231236_33215652';

describe('secure route against the mock Instagram', () => {
  let mock: MockInstagram;
  let proxy: RunningProxy;
  const url = (path: string) => `${proxy.url}/secure-proxy/instagram${path}`;
  const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });
  const good = () => jwtFor({ tokens: [TOKEN], sub: 'user-1' });

  before(async () => {
    mock = createMockInstagram({ secret: TEST_SECRET });
    await mock.listen();
    proxy = await startProxy({ INSTAGRAM_API_URL: mock.url });
  });
  after(async () => {
    await proxy.close();
    await mock.close();
  });

  describe("the seed's three checks", () => {
    it('a JWT with its signature chopped off is 401 JsonWebTokenError', async () => {
      const jwt = good();
      const chopped = jwt.slice(0, jwt.lastIndexOf('.') + 1);
      const r = await send(url(`/users/self?access_token=${TOKEN}`), { headers: bearer(chopped) });
      assert.equal(r.status, 401);
      assert.equal(r.json().error, 'JsonWebTokenError');
      assert.match(String(r.headers['www-authenticate']), /^Bearer /);
    });
    it('a JWT whose exp was an hour ago is 401 TokenExpiredError', async () => {
      const now = Math.floor(Date.now() / 1000);
      const r = await send(url(`/users/self?access_token=${TOKEN}`), {
        headers: bearer(jwtFor({ tokens: [TOKEN], iat: now - 7200, exp: now - 3600 })),
      });
      assert.equal(r.status, 401);
      assert.equal(r.json().error, 'TokenExpiredError');
    });
    it('an access token missing from tokens is 403 AccessTokenNotPermitted', async () => {
      const r = await send(url(`/users/self?access_token=${TOKEN}`), {
        headers: bearer(jwtFor({ tokens: ['another-token'] })),
      });
      assert.equal(r.status, 403);
      assert.deepEqual(r.json(), {
        error: 'AccessTokenNotPermitted',
        message: 'The access_token is not permitted by the JWT',
      });
    });
  });

  describe('each JWT location is accepted', () => {
    const cases: Array<[string, () => { path: string; headers?: Record<string, string>; body?: string }]> = [
      [
        'Authorization: Bearer',
        () => ({ path: `/users/self?access_token=${TOKEN}`, headers: bearer(good()) }),
      ],
      [
        'authorization: bEaReR (scheme case-insensitive)',
        () => ({ path: `/users/self?access_token=${TOKEN}`, headers: { authorization: `bEaReR ${good()}` } }),
      ],
      [
        'X-Authorization: Bearer',
        () => ({
          path: `/users/self?access_token=${TOKEN}`,
          headers: { 'x-authorization': `Bearer ${good()}` },
        }),
      ],
      ['jwt query parameter', () => ({ path: `/users/self?access_token=${TOKEN}&jwt=${good()}` })],
      [
        'jwt body parameter',
        () => ({
          path: `/media/${MEDIA}/likes`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form({ access_token: TOKEN, jwt: good() }),
        }),
      ],
    ];
    for (const [name, make] of cases) {
      it(name, async () => {
        const c = make();
        const r = await send(url(c.path), {
          method: c.body ? 'POST' : 'GET',
          headers: c.headers,
          body: c.body,
        });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json().meta.code, 200);
        const seen = mock.received.at(-1);
        assert.ok(
          seen && !seen.url.includes('jwt=') && !seen.body.includes('jwt='),
          'the JWT never reaches Instagram',
        );
      });
    }
  });

  describe('methods and bodies are signed and accepted by the mock', () => {
    it('GET /users/self', async () => {
      const r = await send(url(`/users/self?access_token=${TOKEN}`), { headers: bearer(good()) });
      assert.equal(r.status, 200);
      assert.equal(r.json().data.username, 'demo_user');
    });
    it('GET with the /v1 prefix in the client path is the same call', async () => {
      const r = await send(url(`/v1/users/self?access_token=${TOKEN}`), { headers: bearer(good()) });
      assert.equal(r.status, 200);
      assert.equal(mock.received.at(-1)?.url.split('?')[0], '/v1/users/self');
    });
    it('DELETE /media/{id}/likes with query params', async () => {
      const r = await send(url(`/media/${MEDIA}/likes?access_token=${TOKEN}`), {
        method: 'DELETE',
        headers: bearer(good()),
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(mock.received.at(-1)?.method, 'DELETE');
    });
    it('POST form body: an emoji comment arrives intact with an exact Content-Length', async () => {
      const text = '😛 café — тест  +%2B&=';
      const r = await send(url(`/media/${MEDIA}/comments`), {
        method: 'POST',
        headers: { ...bearer(good()), 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ access_token: TOKEN, text }),
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json().data.text, text);
      const seen = mock.received.at(-1);
      assert.equal(Number(seen?.headers['content-length']), Buffer.byteLength(seen?.body ?? ''));
      assert.equal(new URLSearchParams(seen?.body).get('text'), text);
    });
    it('POST JSON body is signed and forwarded form-encoded', async () => {
      const r = await send(url(`/media/${MEDIA}/comments`), {
        method: 'POST',
        headers: { ...bearer(good()), 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: TOKEN, text: 'Great photo!', count: 3 }),
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json().data.text, 'Great photo!');
      const seen = mock.received.at(-1);
      assert.equal(seen?.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(new URLSearchParams(seen?.body).get('count'), '3');
    });
    it('PUT and PATCH are forwarded the same way', async () => {
      for (const method of ['PUT', 'PATCH']) {
        const r = await send(url(`/media/${MEDIA}/likes?access_token=${TOKEN}`), {
          method,
          headers: bearer(good()),
        });
        assert.equal(mock.received.at(-1)?.method, method);
        assert.equal(r.status, 404); // the mock has no PUT/PATCH endpoint, but the signature was accepted
        assert.equal(r.json().meta.error_type, 'APINotFoundError');
      }
    });
    it("a client's own sig is replaced by ours", async () => {
      const r = await send(url(`/users/self?access_token=${TOKEN}&sig=deadbeef`), {
        headers: bearer(good()),
      });
      assert.equal(r.status, 200, r.text);
      const sigs = new URL(mock.received.at(-1)?.url ?? '', 'http://x').searchParams.getAll('sig');
      assert.equal(sigs.length, 1);
      assert.notEqual(sigs[0], 'deadbeef');
    });
  });

  describe('JWT rules', () => {
    it('no JWT anywhere is 401 NoJWT', async () => {
      const r = await send(url(`/users/self?access_token=${TOKEN}`));
      assert.equal(r.status, 401);
      assert.equal(r.json().error, 'NoJWT');
      assert.equal(r.headers['www-authenticate'], 'Bearer realm="ig-proxy"');
    });
    it('no access_token is 401 NoAccessToken', async () => {
      const r = await send(url('/users/self'), { headers: bearer(good()) });
      assert.equal(r.status, 401);
      assert.equal(r.json().error, 'NoAccessToken');
    });
    it('no tokens claim is 401 NoJWTAccessTokens', async () => {
      const r = await send(url(`/users/self?access_token=${TOKEN}`), {
        headers: bearer(jwtFor({ sub: 'x' })),
      });
      assert.equal(r.status, 401);
      assert.equal(r.json().error, 'NoJWTAccessTokens');
    });
    it('nbf in the future is 401 NotBeforeError', async () => {
      const now = Math.floor(Date.now() / 1000);
      const r = await send(url(`/users/self?access_token=${TOKEN}`), {
        headers: bearer(jwtFor({ tokens: [TOKEN], nbf: now + 600 })),
      });
      assert.equal(r.status, 401);
      assert.equal(r.json().error, 'NotBeforeError');
    });
    it('exp 5 s ago is inside the 15 s tolerance; 60 s ago is not', async () => {
      const now = Math.floor(Date.now() / 1000);
      const inside = await send(url(`/users/self?access_token=${TOKEN}`), {
        headers: bearer(jwtFor({ tokens: [TOKEN], exp: now - 5 })),
      });
      assert.equal(inside.status, 200);
      const outside = await send(url(`/users/self?access_token=${TOKEN}`), {
        headers: bearer(jwtFor({ tokens: [TOKEN], exp: now - 60 })),
      });
      assert.equal(outside.status, 401);
    });
    it('a JWT without exp is rejected by default', async () => {
      const r = await send(url(`/users/self?access_token=${TOKEN}`), {
        headers: bearer(jwtFor({ tokens: [TOKEN], exp: undefined })),
      });
      assert.equal(r.status, 401);
      assert.equal(r.json().error, 'JsonWebTokenError');
    });
    it('a JWT signed with another key is 401 JsonWebTokenError', async () => {
      const r = await send(url(`/users/self?access_token=${TOKEN}`), {
        headers: bearer(jwtFor({ tokens: [TOKEN] }, 'some-other-key')),
      });
      assert.equal(r.status, 401);
      assert.equal(r.json().error, 'JsonWebTokenError');
    });
    it('membership is exact: a prefix, a longer string or another case is not permitted', async () => {
      for (const listed of [TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), ` ${TOKEN}`]) {
        const r = await send(url(`/users/self?access_token=${TOKEN}`), {
          headers: bearer(jwtFor({ tokens: [listed] })),
        });
        assert.equal(r.status, 403, listed);
      }
    });
    it('tokens that is not an array of strings fails closed', async () => {
      for (const tokens of [TOKEN, { 0: TOKEN }, [[TOKEN]], [1, TOKEN], null]) {
        const r = await send(url(`/users/self?access_token=${TOKEN}`), {
          headers: bearer(jwtFor({ tokens })),
        });
        assert.equal(r.status, 401, JSON.stringify(tokens));
        assert.equal(r.json().error, 'JsonWebTokenError');
      }
    });
  });
});
