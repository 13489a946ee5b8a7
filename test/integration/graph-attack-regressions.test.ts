import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { jwtFor } from '../helpers/jwt.js';
import { form, send } from '../helpers/http.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';

// Regressions for the second attack pass: client JSON too deep to re-serialise, upstream answers we
// cannot rewrite, our proof in relative links or Location, numeric `sub`, nested batches and
// credential look-alike parameter names.
const TOKEN = 'graph-attack-token';
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('graph attack regressions', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  const auth = () => ({ authorization: `Bearer ${jwtFor({ tokens: [TOKEN], sub: 'ga' })}` });
  const graph = (path: string) => `${proxy.url}/secure-proxy/instagram-graph${path}`;
  before(async () => {
    upstream = await startEchoUpstream();
    proxy = await startProxy({
      INSTAGRAM_GRAPH_APP_SECRET: 'graph-secret',
      INSTAGRAM_GRAPH_API_URL: upstream.url,
    });
  });
  beforeEach(() => {
    upstream.behaviour = 'echo';
    upstream.received.length = 0;
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('deeply nested client JSON is a 400, with or without a JWT, never a 500', async () => {
    for (const headers of [{}, auth()]) {
      const r = await send(graph('/me'), {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: `{"access_token":"${TOKEN}","x":${deep(12000)}}`,
      });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json().error, 'BadRequest');
    }
    const batch = JSON.stringify([{ method: 'GET', relative_url: 'me' }]).replace(
      '"me"}',
      `"me","depends_on":${deep(12000)}}`,
    );
    const r = await send(graph('/'), {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ access_token: TOKEN, batch }),
    });
    assert.equal(r.status, 400, r.text);
    assert.equal(upstream.received.length, 0);
  });

  it('an answer too deep to rewrite is passed on as it came, not a 500', async () => {
    const answer = `[{"code":200,"body":"{\\"paging\\":{\\"next\\":\\"${upstream.url}/me?appsecret_proof=p\\"}}"},${deep(12000)}]`;
    upstream.behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
    };
    const r = await send(graph(`/me?access_token=${TOKEN}`), { headers: auth() });
    assert.equal(r.status, 200);
    assert.equal(r.text, answer);
  });

  it('our proof never leaves in protocol-relative or relative links, nor in Location', async () => {
    upstream.behaviour = (req, res) => {
      const q = (req.url ?? '').split('?')[1] ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          data: [],
          paging: { next: `//evil.example/x?${q}`, previous: `/relative/me?${q}` },
        }),
      );
    };
    const r = await send(graph(`/me?access_token=${TOKEN}`), { headers: auth() });
    assert.equal(r.status, 200);
    const proof = new URLSearchParams(upstream.received[0]?.url.split('?')[1]).get('appsecret_proof');
    assert.match(proof ?? '', /^[0-9a-f]{64}$/);
    assert.ok(!r.text.includes(proof as string), 'the proof is not in the answer');
    const paging = r.json().paging;
    assert.match(paging.next, /^\/\/evil\.example\/x\?/);
    assert.match(paging.previous, /^\/relative\/me\?/);
    assert.ok(!paging.next.includes('appsecret_proof') && !paging.previous.includes('appsecret_proof'));

    upstream.behaviour = (req, res) => {
      res.writeHead(302, { location: `https://graph.example/me?${(req.url ?? '').split('?')[1]}` });
      res.end();
    };
    const moved = await send(graph(`/me?access_token=${TOKEN}`), { headers: auth() });
    assert.equal(moved.status, 302);
    assert.ok(!String(moved.headers.location).includes('appsecret_proof'), String(moved.headers.location));
    assert.match(String(moved.headers.location), /^https:\/\/graph\.example\/me\?access_token=/);
  });

  it('a nested batch inside an operation body is refused before anything is sent', async () => {
    const batch = JSON.stringify([
      { method: 'POST', relative_url: 'me', body: 'batch=[{"relative_url":"me?access_token=EVIL"}]' },
    ]);
    const r = await send(graph('/'), {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ access_token: TOKEN, batch }),
    });
    assert.equal(r.status, 400);
    assert.equal(upstream.received.length, 0);
  });

  it('credential look-alike names (ACCESS_TOKEN, access.token, access token, Sig) are 400', async () => {
    for (const name of ['ACCESS_TOKEN', 'access.token', 'access token', 'Appsecret_Proof', 'JWT']) {
      const r = await send(graph(`/me?access_token=${TOKEN}&${encodeURIComponent(name)}=EVIL`), {
        headers: auth(),
      });
      assert.equal(r.status, 400, name);
      assert.equal(r.json().error, 'BadRequest');
    }
    assert.equal(upstream.received.length, 0);
  });
});

describe('a numeric sub is a subject', () => {
  it('freshly minted JWTs with "sub": 42 share one per-subject limit', async () => {
    const upstream = await startEchoUpstream();
    const proxy = await startProxy({
      INSTAGRAM_API_URL: `${upstream.url}/v1`,
      RATE_LIMIT_PER_SUBJECT: '2/1m',
    });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const jwt = jwtFor({ tokens: ['t'], sub: 42, jti: `j${i}` });
        statuses.push(
          (
            await send(`${proxy.url}/secure-proxy/instagram/users/self?access_token=t`, {
              headers: { authorization: `Bearer ${jwt}` },
            })
          ).status,
        );
      }
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
