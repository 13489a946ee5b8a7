import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { register as globalRegistry, Registry } from 'prom-client';
import { createMockInstagram, type MockInstagram } from '../../src/mock/instagram.js';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send } from '../helpers/http.js';
import { jwtFor } from '../helpers/jwt.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';
import { waitUntil } from '../helpers/wait.js';

const TOKEN = 'metrics-access-token-c0ffee';

/** The value of one sample line, e.g. sample(text, 'igproxy_requests_total{route="secure",...}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let mock: MockInstagram;
  let proxy: RunningProxy;
  let registry: Registry;
  const secure = `/secure-proxy/instagram/users/self?access_token=${TOKEN}`;
  const bearer = (tokens: string[]) => ({
    authorization: `Bearer ${jwtFor({ tokens, sub: 'metrics-user' })}`,
  });
  let text = '';

  before(async () => {
    mock = createMockInstagram({ secret: (await import('../helpers/proxy.js')).TEST_SECRET });
    await mock.listen();
    registry = new Registry();
    proxy = await startProxy({ INSTAGRAM_API_URL: mock.url }, { registry });
    await send(`${proxy.url}${secure}`, { headers: bearer([TOKEN]) });
    await send(`${proxy.url}${secure}`, { headers: bearer([TOKEN]) });
    await send(`${proxy.url}/proxy/instagram/users/self?access_token=${TOKEN}`);
    await send(`${proxy.url}${secure}`);
    await send(`${proxy.url}${secure}`, { headers: bearer(['other']) });
    await send(`${proxy.url}/no/such/route?access_token=${TOKEN}`);
    await waitUntil(() => proxy.logs.length >= 6, 'the six requests to end');
    const r = await send(`${proxy.url}/metrics`);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    text = r.text;
  });
  after(async () => {
    await proxy.close();
    await mock.close();
  });

  it('counts requests by route, provider and status', () => {
    assert.equal(sample(text, 'igproxy_requests_total{route="secure",provider="instagram",status="200"}'), 2);
    assert.equal(sample(text, 'igproxy_requests_total{route="open",provider="instagram",status="200"}'), 1);
    assert.equal(sample(text, 'igproxy_requests_total{route="secure",provider="instagram",status="401"}'), 1);
    assert.equal(sample(text, 'igproxy_requests_total{route="secure",provider="instagram",status="403"}'), 1);
    assert.equal(sample(text, 'igproxy_requests_total{route="none",provider="",status="404"}'), 1);
  });

  it('has request and upstream duration histograms', () => {
    assert.equal(
      sample(text, 'igproxy_request_duration_seconds_count{route="secure",provider="instagram"}'),
      4,
    );
    assert.equal(
      sample(text, 'igproxy_request_duration_seconds_bucket{le="+Inf",route="secure",provider="instagram"}'),
      4,
    );
    assert.equal(sample(text, 'igproxy_upstream_duration_seconds_count{provider="instagram"}'), 3);
  });

  it('counts auth failures by error name, and shows the rate-limit counter and in-flight gauge', () => {
    assert.equal(sample(text, 'igproxy_auth_failures_total{error="NoJWT"}'), 1);
    assert.equal(sample(text, 'igproxy_auth_failures_total{error="AccessTokenNotPermitted"}'), 1);
    assert.match(text, /^# TYPE igproxy_rate_limited_total counter$/m);
    assert.match(text, /^# TYPE igproxy_upstream_errors_total counter$/m);
    assert.equal(sample(text, 'igproxy_in_flight_requests'), 0);
  });

  it('never labels with a path, token or subject', () => {
    for (const word of [TOKEN, 'users/self', 'no/such', 'metrics-user', '127.0.0.1'])
      assert.ok(!text.includes(word), word);
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    assert.deepEqual([...labelNames].sort(), ['error', 'le', 'provider', 'route', 'status']);
  });

  it("lives on the injected registry, not prom-client's global one", async () => {
    assert.ok(registry.getSingleMetric('igproxy_requests_total'));
    assert.equal(globalRegistry.getSingleMetric('igproxy_requests_total'), undefined);
    const second = await startProxy({ INSTAGRAM_API_URL: mock.url }); // would throw on a shared registry
    try {
      const r = await send(`${second.url}/metrics`);
      assert.equal(
        sample(r.text, 'igproxy_requests_total{route="secure",provider="instagram",status="200"}'),
        undefined,
      );
    } finally {
      await second.close();
    }
  });
});

describe('metrics for upstream trouble', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  let release: (() => void) | undefined;
  const metrics = async () => (await send(`${proxy.url}/metrics`)).text;
  before(async () => {
    upstream = await startEchoUpstream();
    proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1` });
  });
  after(async () => {
    release?.();
    await proxy.close();
    await upstream.close();
  });

  it('the in-flight gauge counts a request while the upstream is still answering', async () => {
    upstream.behaviour = (_req, res) => {
      release = () => res.end('{}');
      res.writeHead(200, { 'content-type': 'application/json' });
    };
    const pending = send(`${proxy.url}/proxy/instagram/users/self?access_token=t`);
    await waitUntil(() => release !== undefined, 'the upstream to get the request');
    assert.equal(sample(await metrics(), 'igproxy_in_flight_requests'), 1);
    release?.();
    assert.equal((await pending).status, 200);
    await waitUntil(() => proxy.logs.some((l) => l.includes('"route":"open"')), 'the request to end');
    assert.equal(sample(await metrics(), 'igproxy_in_flight_requests'), 0);
  });

  it('counts a reset before the answer and a reset in the middle of the body, by kind', async () => {
    upstream.behaviour = 'reset';
    assert.equal((await send(`${proxy.url}/proxy/instagram/a?access_token=t`)).status, 502);
    upstream.behaviour = (req, res) => {
      // Not JSON, so it streams (JSON may be buffered for the paging rewrite).
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 20);
    };
    await send(`${proxy.url}/proxy/instagram/b?access_token=t`).catch(() => undefined); // client sees a cut
    await waitUntil(() => proxy.logs.filter((l) => l.includes('"upstreamError"')).length >= 2, 'both to end');
    assert.equal(
      sample(await metrics(), 'igproxy_upstream_errors_total{provider="instagram",kind="reset"}'),
      2,
    );
  });

  it('a client gone mid-body releases the upstream call, is ClientClosedRequest, and no upstream error', async () => {
    let upstreamClosed = false;
    upstream.behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
      res.write('{"slow":');
      res.once('close', () => (upstreamClosed = true));
    };
    const before = (await metrics()).match(/^igproxy_upstream_errors_total\{[^}]*\} \d+$/gm) ?? [];
    await new Promise<void>((resolve) => {
      const req = request(`${proxy.url}/proxy/instagram/c?access_token=t`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.end();
    });
    await waitUntil(() => upstreamClosed, 'the upstream connection to be released');
    await waitUntil(
      () => proxy.logs.some((l) => l.includes('"outcome":"ClientClosedRequest"')),
      'the log line',
    );
    const after = (await metrics()).match(/^igproxy_upstream_errors_total\{[^}]*\} \d+$/gm) ?? [];
    assert.deepEqual(after, before);
  });

  it('counts a refused connection as kind="refused"', async () => {
    const down = await startProxy({ INSTAGRAM_API_URL: 'http://127.0.0.1:9/v1' });
    try {
      assert.equal((await send(`${down.url}/proxy/instagram/a?access_token=t`)).status, 502);
      await waitUntil(() => down.logs.length >= 1, 'the request to end');
      const text = (await send(`${down.url}/metrics`)).text;
      assert.equal(sample(text, 'igproxy_upstream_errors_total{provider="instagram",kind="refused"}'), 1);
    } finally {
      await down.close();
    }
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics on its own port; the main port then answers 404 there', async () => {
    const proxy = await startProxy({ METRICS_PORT: '0' });
    try {
      const address = proxy.app.metricsServer?.address();
      assert.ok(address && typeof address === 'object', 'the metrics server listens');
      const metricsUrl = `http://127.0.0.1:${address.port}`;
      assert.notEqual(metricsUrl, proxy.url);
      const main = await send(`${proxy.url}/metrics`);
      assert.equal(main.status, 404);
      assert.equal(main.json().error, 'NotFound');
      const own = await send(`${metricsUrl}/metrics`);
      assert.equal(own.status, 200);
      assert.match(own.text, /^# TYPE igproxy_requests_total counter$/m);
      assert.match(own.text, /igproxy_requests_total\{route="metrics",provider="",status="404"\} 1/);
      assert.equal((await send(`${metricsUrl}/proxy/instagram/users/self`)).status, 404);
    } finally {
      await proxy.close();
    }
  });
});
