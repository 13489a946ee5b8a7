import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createMockGraph } from '../../src/mock/graph.js';
import { createMockInstagram, type MockInstagram } from '../../src/mock/instagram.js';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send } from '../helpers/http.js';
import { jwtFor } from '../helpers/jwt.js';
import { startProxy, TEST_SECRET, type RunningProxy } from '../helpers/proxy.js';

const TOKEN = 'graph-token-1';
const SIGNATURES = /appsecret_proof|appsecret_time|[?&]sig=/;
const auth = { authorization: `Bearer ${jwtFor({ tokens: [TOKEN] })}` };

interface Page {
  data: Array<{ id: string }>;
  paging?: { next?: string; previous?: string };
  pagination?: { next_url?: string };
}

describe('pagination links come back through the proxy', () => {
  let graph: MockInstagram;
  let legacy: MockInstagram;
  let proxy: RunningProxy;

  before(async () => {
    graph = createMockGraph({ secret: 'graph-secret' });
    legacy = createMockInstagram({ secret: TEST_SECRET });
    await graph.listen();
    await legacy.listen();
    proxy = await startProxy({
      INSTAGRAM_GRAPH_APP_SECRET: 'graph-secret',
      INSTAGRAM_GRAPH_API_URL: graph.url,
      INSTAGRAM_API_URL: legacy.url,
    });
  });
  after(async () => {
    await proxy.close();
    await graph.close();
    await legacy.close();
  });

  it('Graph: following paging.next walks every page; links never carry our signatures', async () => {
    const seen: string[] = [];
    let link: string | undefined =
      `/secure-proxy/instagram-graph/v21.0/me/media?fields=id&limit=1&access_token=${TOKEN}`;
    const links: string[] = [];
    while (link) {
      const r = await send(`${proxy.url}${link}`, { headers: auth });
      assert.equal(r.status, 200, r.text);
      assert.doesNotMatch(r.text, SIGNATURES);
      const page = r.json() as Page;
      seen.push(...page.data.map((m) => m.id));
      link = page.paging?.next;
      if (link) links.push(link);
    }
    assert.deepEqual(seen, ['17900000000000003', '17900000000000002', '17900000000000001']);
    assert.deepEqual(links, [
      `/secure-proxy/instagram-graph/v21.0/me/media?fields=id&limit=1&access_token=${TOKEN}&after=17900000000000003`,
      `/secure-proxy/instagram-graph/v21.0/me/media?fields=id&limit=1&access_token=${TOKEN}&after=17900000000000002`,
    ]);
    // The mock did put our proof into its links: the proxy took it out.
    assert.match(graph.received.at(-1)?.url ?? '', /appsecret_proof=/);
  });

  it('Graph: paging.previous leads back', async () => {
    const r = await send(
      `${proxy.url}/proxy/instagram-graph/me/media?limit=1&after=17900000000000003&access_token=${TOKEN}`,
    );
    const previous = (r.json() as Page).paging?.previous;
    assert.equal(
      previous,
      `/proxy/instagram-graph/me/media?limit=1&access_token=${TOKEN}&before=17900000000000002`,
    );
    const back = await send(`${proxy.url}${previous}`);
    assert.deepEqual(
      (back.json() as Page).data.map((m) => m.id),
      ['17900000000000003'],
    );
  });

  it('legacy instagram: pagination.next_url is rewritten without sig, and following it works', async () => {
    const r = await send(
      `${proxy.url}/secure-proxy/instagram/users/self/media/recent?count=1&access_token=${TOKEN}`,
      {
        headers: auth,
      },
    );
    const next = (r.json() as Page).pagination?.next_url;
    assert.equal(
      next,
      `/secure-proxy/instagram/users/self/media/recent?count=1&access_token=${TOKEN}&max_id=1066406478945217765_25025320`,
    );
    const page2 = await send(`${proxy.url}${next}`, { headers: auth });
    assert.equal(page2.status, 200);
    assert.deepEqual(
      (page2.json() as { data: Array<{ id: string }> }).data.map((m) => m.id),
      ['1066406478945217764_25025320'],
    );
  });

  it('a client Host header never makes it into a link', async () => {
    const r = await send(`${proxy.url}/proxy/instagram-graph/me/media?limit=1&access_token=${TOKEN}`, {
      headers: { host: 'evil.example' },
    });
    assert.match((r.json() as Page).paging?.next ?? '', /^\/proxy\/instagram-graph\/me\/media\?/);
    assert.doesNotMatch(r.text, /evil/);
  });

  it('the proxy asks the API for an uncompressed answer while rewriting is on', async () => {
    await send(`${proxy.url}/proxy/instagram-graph/me?access_token=${TOKEN}`, {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    assert.equal(graph.received.at(-1)?.headers['accept-encoding'], 'identity');
  });
});

describe('pagination rewrite: configuration and what streams through untouched', () => {
  let upstream: EchoUpstream;
  const graphLink = (origin: string) =>
    `${origin}/v21.0/me/media?access_token=${TOKEN}&appsecret_proof=p&after=A`;
  const pageText = (origin: string) => JSON.stringify({ data: [], paging: { next: graphLink(origin) } });

  before(async () => {
    upstream = await startEchoUpstream();
  });
  after(() => upstream.close());

  async function withProxy(values: Record<string, string>, fn: (p: RunningProxy) => Promise<void>) {
    const p = await startProxy({
      INSTAGRAM_GRAPH_APP_SECRET: 's',
      INSTAGRAM_GRAPH_API_URL: upstream.url,
      ...values,
    });
    try {
      await fn(p);
    } finally {
      await p.close();
    }
  }
  const serve = (headers: Record<string, string>, chunks: Array<string | Buffer>) => {
    upstream.behaviour = (_req, res) => {
      res.writeHead(200, headers);
      for (const c of chunks.slice(0, -1)) res.write(c);
      res.end(chunks.at(-1));
    };
  };

  it('PUBLIC_URL makes links absolute; the token is dropped when the client sent it in the body', async () => {
    serve({ 'content-type': 'application/json', etag: '"v1"' }, [pageText(upstream.url)]);
    await withProxy({ PUBLIC_URL: 'https://ig.example.com/base/' }, async (p) => {
      const r = await send(`${p.url}/proxy/instagram-graph/v21.0/me/media`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `access_token=${TOKEN}`,
      });
      assert.equal(
        r.text,
        '{"data":[],"paging":{"next":"https://ig.example.com/base/proxy/instagram-graph/v21.0/me/media?after=A"}}',
      );
      assert.equal(r.headers['content-length'], String(r.body.length));
      assert.equal(r.headers.etag, undefined);
    });
  });

  it('REWRITE_PAGING=false: the answer and the client Accept-Encoding pass through as they are', async () => {
    serve({ 'content-type': 'application/json' }, [pageText(upstream.url)]);
    await withProxy({ REWRITE_PAGING: 'false' }, async (p) => {
      const r = await send(`${p.url}/proxy/instagram-graph/me/media?access_token=${TOKEN}`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      assert.equal(r.text, pageText(upstream.url));
      assert.equal(upstream.received.at(-1)?.headers['accept-encoding'], 'gzip');
    });
  });

  it('larger than REWRITE_PAGING_MAX_BYTES (declared or chunked), not JSON, or compressed: untouched bytes', async () => {
    const text = pageText(upstream.url);
    const gz = gzipSync(Buffer.from(text));
    const cases: Array<[string, Record<string, string>, Array<string | Buffer>, Buffer]> = [
      [
        'declared too large',
        { 'content-type': 'application/json', 'content-length': String(text.length) },
        [text],
        Buffer.from(text),
      ],
      [
        'chunked too large',
        { 'content-type': 'application/json' },
        [text.slice(0, 40), text.slice(40)],
        Buffer.from(text),
      ],
      ['not JSON', { 'content-type': 'text/plain' }, [text], Buffer.from(text)],
      ['gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, [gz], gz],
    ];
    await withProxy({ REWRITE_PAGING_MAX_BYTES: '64' }, async (p) => {
      for (const [name, headers, chunks, expected] of cases) {
        serve(headers, chunks);
        const r = await send(`${p.url}/proxy/instagram-graph/me/media?access_token=${TOKEN}`);
        assert.equal(r.status, 200, name);
        assert.deepEqual(r.body, expected, name);
      }
    });
  });

  it('a small answer under the cap is rewritten, chunked or not', async () => {
    const text = pageText(upstream.url);
    serve({ 'content-type': 'application/json; charset=utf-8' }, [text.slice(0, 30), text.slice(30)]);
    await withProxy({}, async (p) => {
      const r = await send(`${p.url}/proxy/instagram-graph/me/media?access_token=${TOKEN}`);
      assert.equal(
        r.text,
        `{"data":[],"paging":{"next":"/proxy/instagram-graph/v21.0/me/media?access_token=${TOKEN}&after=A"}}`,
      );
    });
  });
});
