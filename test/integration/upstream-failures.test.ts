import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { jwtFor } from '../helpers/jwt.js';
import { send } from '../helpers/http.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('upstream failures map to JSON 502/504', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  before(async () => {
    upstream = await startEchoUpstream('hang');
    proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1`, UPSTREAM_TIMEOUT_MS: '300' });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('an upstream that never answers is 504 UpstreamTimeout, after about UPSTREAM_TIMEOUT_MS', async () => {
    upstream.behaviour = 'hang';
    const started = Date.now();
    const r = await send(`${proxy.url}/secure-proxy/instagram/users/self?access_token=t`, {
      headers: { authorization: `Bearer ${jwtFor({ tokens: ['t'] })}` },
    });
    const waited = Date.now() - started;
    assert.equal(r.status, 504);
    assert.deepEqual(r.json(), {
      error: 'UpstreamTimeout',
      message: 'The upstream API did not answer in time',
    });
    assert.ok(waited >= 250, `answered after ${waited} ms: the timeout must not fire early`);
    assert.equal(upstream.received.length, 1);
  });

  it('a connection reset is 502 UpstreamUnavailable', async () => {
    upstream.behaviour = 'reset';
    const r = await send(`${proxy.url}/proxy/instagram/users/self?access_token=t`);
    assert.equal(r.status, 502);
    assert.equal(r.json().error, 'UpstreamUnavailable');
    assert.ok(
      !r.text.includes('ECONN') && !r.text.includes('UND_ERR'),
      'no dependency text reaches the client',
    );
  });

  it('a refused connection is 502 UpstreamUnavailable', async () => {
    const port = await freePort();
    const refused = await startProxy({
      INSTAGRAM_API_URL: `http://127.0.0.1:${port}/v1`,
      UPSTREAM_TIMEOUT_MS: '300',
    });
    try {
      const r = await send(`${refused.url}/proxy/instagram/users/self?access_token=t`);
      assert.equal(r.status, 502);
      assert.equal(r.json().error, 'UpstreamUnavailable');
    } finally {
      await refused.close();
    }
  });
});
