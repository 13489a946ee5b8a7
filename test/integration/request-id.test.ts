import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send } from '../helpers/http.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';
import { waitUntil } from '../helpers/wait.js';

const requestLines = (p: RunningProxy): Array<Record<string, unknown>> =>
  p.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');

describe('X-Request-Id', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  before(async () => {
    upstream = await startEchoUpstream();
    proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1` });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });
  const call = (id?: string) =>
    send(`${proxy.url}/proxy/instagram/users/self?access_token=t`, {
      headers: id === undefined ? {} : { 'x-request-id': id },
    });
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('a well-formed client id is kept, returned, forwarded upstream and logged', async () => {
    const id = 'Client-Req_42.a:b';
    const r = await call(id);
    assert.equal(r.headers['x-request-id'], id);
    assert.equal(upstream.received.at(-1)?.headers['x-request-id'], id);
    await waitUntil(() => requestLines(proxy).some((l) => l.reqId === id), 'the log line');
  });

  for (const bad of ['has space', 'x'.repeat(129), 'semi;colon', '"quoted"', '']) {
    it(`a malformed id (${JSON.stringify(bad.slice(0, 12))}) is replaced by a new UUID, returned and forwarded`, async () => {
      const r = await call(bad);
      const id = String(r.headers['x-request-id']);
      assert.match(id, UUID);
      assert.equal(upstream.received.at(-1)?.headers['x-request-id'], id);
    });
  }

  it('without one, each request gets its own UUID', async () => {
    const [a, b] = await Promise.all([call(), call()]);
    assert.match(String(a?.headers['x-request-id']), UUID);
    assert.notEqual(a?.headers['x-request-id'], b?.headers['x-request-id']);
  });
});

describe('LOG_LEVEL', () => {
  it('warn turns the per-request info lines off', async () => {
    const proxy = await startProxy({ LOG_LEVEL: 'warn' });
    try {
      const r = await send(`${proxy.url}/healthz`);
      assert.equal(r.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(proxy.logs, []);
    } finally {
      await proxy.close();
    }
  });
});
