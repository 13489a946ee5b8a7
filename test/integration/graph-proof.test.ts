import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMockGraph, INVALID_PROOF, MISSING_PROOF } from '../../src/mock/graph.js';
import type { MockInstagram } from '../../src/mock/instagram.js';
import { jwtFor } from '../helpers/jwt.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';
import { loadVectors } from '../helpers/vectors.js';

// Secrets, tokens and proofs come from the known-answer vectors, never from our signer.
const vector = (name: string) => {
  const v = loadVectors('appsecret-proof.json').find((x) => x.name === name);
  assert.ok(v, name);
  return { secret: v.secret, token: String(v.params.access_token), proof: v.expected, params: v.params };
};
const FOO = vector('php-sdk-foo-token'); // instagram-graph in these tests
const POST = vector('post-body-placement'); // facebook-graph
const TIMED = vector('appsecret-time-variant');

function receivedParams(mock: MockInstagram): URLSearchParams[] {
  const r = mock.received.at(-1);
  assert.ok(r, 'the mock received a request');
  const query = new URL(r.url, 'http://x').searchParams;
  return [query, new URLSearchParams(r.body)];
}

describe('Graph providers: appsecret_proof over real sockets', () => {
  let ig: MockInstagram;
  let fb: MockInstagram;
  let proxy: RunningProxy;
  const auth = (tokens: string[]) => ({ authorization: `Bearer ${jwtFor({ tokens })}` });

  before(async () => {
    ig = createMockGraph({ secret: FOO.secret });
    fb = createMockGraph({ secret: POST.secret });
    await ig.listen();
    await fb.listen();
    proxy = await startProxy({
      INSTAGRAM_GRAPH_APP_SECRET: FOO.secret,
      INSTAGRAM_GRAPH_API_URL: ig.url,
      FACEBOOK_GRAPH_APP_SECRET: POST.secret,
      FACEBOOK_GRAPH_API_URL: fb.url,
    });
  });
  after(async () => {
    await proxy.close();
    await ig.close();
    await fb.close();
  });

  it('GET /me: the mock accepts the proof, which is next to the token in the query', async () => {
    const res = await fetch(`${proxy.url}/secure-proxy/instagram-graph/me?access_token=${FOO.token}`, {
      headers: auth([FOO.token]),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { username: string }).username, 'demo_user');
    const [query] = receivedParams(ig);
    assert.deepEqual(query?.getAll('appsecret_proof'), [FOO.proof]);
    assert.equal(query?.get('access_token'), FOO.token);
  });

  it('versioned paths pass through as sent', async () => {
    const res = await fetch(
      `${proxy.url}/proxy/instagram-graph/v21.0/me?fields=username&access_token=${FOO.token}`,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: '17841400000000001', username: 'demo_user' });
    assert.match(ig.received.at(-1)?.url ?? '', /^\/v21\.0\/me\?/);
  });

  it('POST form body: the proof goes into the body beside the token, and the mock accepts it', async () => {
    const body = new URLSearchParams({
      access_token: POST.token,
      image_url: String(POST.params.image_url),
      caption: String(POST.params.caption),
    });
    const res = await fetch(`${proxy.url}/secure-proxy/facebook-graph/v19.0/17841400000000000/media`, {
      method: 'POST',
      headers: auth([POST.token]),
      body,
    });
    assert.equal(res.status, 200);
    assert.match(((await res.json()) as { id: string }).id, /^\d+$/);
    const [query, form] = receivedParams(fb);
    assert.equal(query?.has('appsecret_proof'), false);
    assert.deepEqual(form?.getAll('appsecret_proof'), [POST.proof]);
    assert.equal(form?.get('caption'), 'hi #tag');
  });

  it('POST JSON body: forwarded form-encoded with the proof, accepted', async () => {
    const res = await fetch(`${proxy.url}/secure-proxy/facebook-graph/v19.0/17841400000000000/media`, {
      method: 'POST',
      headers: { ...auth([POST.token]), 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: POST.token, image_url: POST.params.image_url }),
    });
    assert.equal(res.status, 200);
    const [, form] = receivedParams(fb);
    assert.deepEqual(form?.getAll('appsecret_proof'), [POST.proof]);
  });

  it('a client-sent appsecret_proof / appsecret_time does not survive (query)', async () => {
    const url = `${proxy.url}/secure-proxy/instagram-graph/me?access_token=${FOO.token}&appsecret_proof=0000&appsecret_time=1`;
    const res = await fetch(url, { headers: auth([FOO.token]) });
    assert.equal(res.status, 200);
    const [query] = receivedParams(ig);
    assert.deepEqual(query?.getAll('appsecret_proof'), [FOO.proof]);
    assert.equal(query?.has('appsecret_time'), false);
  });

  it('a client-sent appsecret_proof does not survive (body)', async () => {
    const res = await fetch(`${proxy.url}/secure-proxy/facebook-graph/v19.0/17841400000000000/media`, {
      method: 'POST',
      headers: { ...auth([POST.token]), 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${POST.token}&image_url=x&appsecret_proof=${'f'.repeat(64)}`,
    });
    assert.equal(res.status, 200);
    const [query, form] = receivedParams(fb);
    assert.deepEqual([...(query?.keys() ?? [])], []);
    assert.deepEqual(form?.getAll('appsecret_proof'), [POST.proof]);
  });

  it('a token the JWT does not list: 403 and nothing reaches the mock', async () => {
    const before = ig.received.length;
    const res = await fetch(`${proxy.url}/secure-proxy/instagram-graph/me?access_token=other`, {
      headers: auth([FOO.token]),
    });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: string }).error, 'AccessTokenNotPermitted');
    assert.equal(ig.received.length, before);
  });

  it('the mock itself enforces the proof as Meta does (missing vs invalid)', async () => {
    const missing = await fetch(`${ig.url}/me?access_token=${FOO.token}`);
    assert.equal(missing.status, 400);
    assert.deepEqual(((await missing.json()) as { error: unknown }).error, {
      message: MISSING_PROOF,
      type: 'GraphMethodException',
      code: 100,
      fbtrace_id: 'MockTrace0000000',
    });
    const invalid = await fetch(`${ig.url}/me?access_token=${FOO.token}&appsecret_proof=${POST.proof}`);
    assert.equal(invalid.status, 400);
    const error = ((await invalid.json()) as { error: { message: string; code: number } }).error;
    assert.equal(error.message, INVALID_PROOF);
    assert.equal(error.code, 100);
  });
});

describe('Graph providers: time-stamped proofs and providers that are off', () => {
  it('APPSECRET_PROOF_TIME=true sends appsecret_time from the clock and the timed proof', async () => {
    const nowMs = Number(TIMED.params.appsecret_time) * 1000;
    const mock = createMockGraph({ secret: TIMED.secret, clock: () => nowMs });
    await mock.listen();
    const proxy = await startProxy(
      {
        FACEBOOK_GRAPH_APP_SECRET: TIMED.secret,
        FACEBOOK_GRAPH_API_URL: mock.url,
        APPSECRET_PROOF_TIME: 'true',
      },
      { clock: () => nowMs },
    );
    try {
      const jwt = jwtFor({ tokens: [TIMED.token], iat: nowMs / 1000, exp: nowMs / 1000 + 60 });
      const res = await fetch(
        `${proxy.url}/secure-proxy/facebook-graph/v19.0/me?access_token=${TIMED.token}`,
        {
          headers: { authorization: `Bearer ${jwt}` },
        },
      );
      assert.equal(res.status, 200);
      const [query] = receivedParams(mock);
      assert.deepEqual(query?.getAll('appsecret_proof'), [TIMED.proof]);
      assert.deepEqual(query?.getAll('appsecret_time'), [String(TIMED.params.appsecret_time)]);
    } finally {
      await proxy.close();
      await mock.close();
    }
  });

  it('a provider without its secret is off: 404 naming the key, on both routes; / lists those on', async () => {
    const proxy = await startProxy({
      INSTAGRAM_GRAPH_APP_SECRET: 's',
      INSTAGRAM_GRAPH_API_URL: 'http://127.0.0.1:9',
    });
    try {
      for (const route of ['proxy', 'secure-proxy']) {
        const res = await fetch(`${proxy.url}/${route}/facebook-graph/me?access_token=t`);
        assert.equal(res.status, 404);
        assert.deepEqual(await res.json(), {
          error: 'NotFound',
          message:
            'The provider facebook-graph is not configured on this proxy (set FACEBOOK_GRAPH_APP_SECRET to turn it on)',
        });
      }
      const info = (await (await fetch(`${proxy.url}/`)).json()) as { providers: string[] };
      assert.deepEqual(info.providers, ['instagram', 'instagram-graph']);
    } finally {
      await proxy.close();
    }
  });
});
