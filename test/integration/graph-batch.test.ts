import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createMockGraph } from '../../src/mock/graph.js';
import type { MockInstagram } from '../../src/mock/instagram.js';
import { form, send } from '../helpers/http.js';
import { jwtFor } from '../helpers/jwt.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';
import { loadVectors } from '../helpers/vectors.js';

// Both vectors share the secret `foo_secret`: top-level token foo_token, an operation's own bar_token.
const vectors = loadVectors('appsecret-proof.json');
const TOP = vectors.find((v) => v.name === 'php-sdk-foo-token');
const OWN = vectors.find((v) => v.name === 'batch-operation-own-token');
assert.ok(TOP && OWN && TOP.secret === OWN.secret);
const TOP_TOKEN = String(TOP.params.access_token);
const OWN_TOKEN = String(OWN.params.access_token);

interface SentOperation {
  relative_url: string;
  body?: string;
}

describe('Graph batch requests through the proxy', () => {
  let mock: MockInstagram;
  let proxy: RunningProxy;
  const auth = { authorization: `Bearer ${jwtFor({ tokens: [TOP_TOKEN, OWN_TOKEN] })}` };
  const formHeaders = { ...auth, 'content-type': 'application/x-www-form-urlencoded' };
  const batchUrl = () => `${proxy.url}/secure-proxy/instagram-graph/`;

  before(async () => {
    mock = createMockGraph({ secret: TOP.secret });
    await mock.listen();
    proxy = await startProxy({ INSTAGRAM_GRAPH_APP_SECRET: TOP.secret, INSTAGRAM_GRAPH_API_URL: mock.url });
  });
  after(async () => {
    await proxy.close();
    await mock.close();
  });
  beforeEach(() => {
    mock.received.length = 0;
  });

  /** The batch and top-level parameters exactly as the mock received them. */
  function sentBatch(): { top: URLSearchParams; ops: SentOperation[] } {
    assert.equal(mock.received.length, 1);
    const top = new URLSearchParams(mock.received[0]?.body);
    return { top, ops: JSON.parse(top.get('batch') ?? 'null') as SentOperation[] };
  }

  it('allowed: every operation with its own token gets its own proof, the batch gets the top-level one', async () => {
    const batch = [
      { method: 'GET', relative_url: 'me?fields=username' },
      { method: 'GET', relative_url: '/v21.0/me?fields=id&access_token=bar_token&appsecret_proof=forged' },
      {
        method: 'POST',
        relative_url: '17900000000000001/comments',
        body: 'message=hi&access_token=bar_token',
      },
    ];
    const r = await send(batchUrl(), {
      method: 'POST',
      headers: formHeaders,
      body: form({ access_token: TOP_TOKEN, batch: JSON.stringify(batch) }),
    });
    assert.equal(r.status, 200, r.text);
    const answers = r.json() as Array<{ code: number; body: string }>;
    assert.deepEqual(
      answers.map((a) => a.code),
      [200, 200, 200],
    );
    assert.deepEqual(JSON.parse(answers[0]?.body ?? ''), { id: '17841400000000001', username: 'demo_user' });
    const { top, ops } = sentBatch();
    assert.deepEqual(top.getAll('appsecret_proof'), [TOP.expected]);
    assert.equal(ops[0]?.relative_url, 'me?fields=username');
    const second = new URL(ops[1]?.relative_url ?? '', 'http://x').searchParams;
    assert.deepEqual(second.getAll('appsecret_proof'), [OWN.expected]);
    const third = new URLSearchParams(ops[2]?.body);
    assert.deepEqual(third.getAll('appsecret_proof'), [OWN.expected]);
    assert.equal(third.get('message'), 'hi');
  });

  it('a JSON body may carry the batch as an array', async () => {
    const r = await send(batchUrl(), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        access_token: TOP_TOKEN,
        batch: [{ method: 'GET', relative_url: 'v21.0/me?access_token=bar_token' }],
      }),
    });
    assert.equal(r.status, 200, r.text);
    assert.equal((r.json() as Array<{ code: number }>)[0]?.code, 200);
    const { ops } = sentBatch();
    assert.equal(
      new URL(ops[0]?.relative_url ?? '', 'http://x').searchParams.get('appsecret_proof'),
      OWN.expected,
    );
  });

  const rejected: Array<[string, unknown, number, string]> = [
    [
      'an operation token not in the JWT (relative_url)',
      [{ relative_url: 'me?access_token=stolen' }],
      403,
      'AccessTokenNotPermitted',
    ],
    [
      'an operation token not in the JWT (body), after a permitted one',
      [
        { relative_url: 'me?access_token=bar_token' },
        { method: 'POST', relative_url: '1/comments', body: 'message=x&access_token=stolen' },
      ],
      403,
      'AccessTokenNotPermitted',
    ],
    ['an absolute relative_url', [{ relative_url: 'https://evil.example/me' }], 400, 'InvalidPath'],
    ['a relative_url that climbs out', [{ relative_url: 'me/../../oauth' }], 400, 'InvalidPath'],
    [
      'per-operation headers',
      [{ relative_url: 'me', headers: ['Authorization: OAuth x'] }],
      400,
      'BadRequest',
    ],
  ];
  for (const [name, batch, status, error] of rejected) {
    it(`rejected before anything is sent: ${name}`, async () => {
      const r = await send(batchUrl(), {
        method: 'POST',
        headers: formHeaders,
        body: form({ access_token: TOP_TOKEN, batch: JSON.stringify(batch) }),
      });
      assert.equal(r.status, status, r.text);
      assert.equal(r.json().error, error);
      assert.equal(mock.received.length, 0);
    });
  }

  it('malformed batch JSON is a 400 BadRequest, nothing sent', async () => {
    for (const batch of ['[{"relative_url":"me"', '{"relative_url":"me"}', '[]', '"me"']) {
      const r = await send(batchUrl(), {
        method: 'POST',
        headers: formHeaders,
        body: form({ access_token: TOP_TOKEN, batch }),
      });
      assert.equal(r.status, 400, batch);
      assert.equal(r.json().error, 'BadRequest');
    }
    assert.equal(mock.received.length, 0);
  });

  it('a batch whose only tokens are its operations’ is checked too (no top-level token)', async () => {
    const r = await send(batchUrl(), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${jwtFor({ tokens: [TOP_TOKEN] })}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ batch: JSON.stringify([{ relative_url: 'me?access_token=bar_token' }]) }),
    });
    assert.equal(r.status, 403);
    assert.equal(mock.received.length, 0);
  });

  it('links inside batch answers come back through the proxy, without proof or token', async () => {
    const r = await send(batchUrl(), {
      method: 'POST',
      headers: formHeaders,
      body: form({
        access_token: TOP_TOKEN,
        batch: JSON.stringify([{ relative_url: 'v21.0/me/media?fields=id&limit=1&access_token=bar_token' }]),
      }),
    });
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.text, /appsecret_proof|bar_token|foo_token|127\.0\.0\.1/);
    const page = JSON.parse((r.json() as Array<{ body: string }>)[0]?.body ?? '') as {
      paging: { next: string };
    };
    assert.equal(
      page.paging.next,
      '/secure-proxy/instagram-graph/v21.0/me/media?fields=id&limit=1&after=17900000000000003',
    );
  });
});
