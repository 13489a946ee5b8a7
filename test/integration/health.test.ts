import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEchoUpstream } from '../helpers/echo-upstream.js';
import { send } from '../helpers/http.js';
import { startProxy } from '../helpers/proxy.js';

describe('/healthz and /readyz', () => {
  it('both answer 200 JSON on a started proxy whose upstream is reachable', async () => {
    const upstream = await startEchoUpstream();
    const proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1` });
    try {
      const live = await send(`${proxy.url}/healthz`);
      assert.equal(live.status, 200);
      assert.match(String(live.headers['content-type']), /^application\/json/);
      assert.deepEqual(live.json(), { status: 'ok' });
      const ready = await send(`${proxy.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.json(), {
        status: 'ready',
        checks: { config: 'ok', 'upstream:instagram': 'ok' },
      });
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('an unreachable upstream makes /readyz 503 (upstream:<provider> fail); liveness stays 200', async () => {
    const upstream = await startEchoUpstream();
    const url = upstream.url;
    await upstream.close(); // nothing listens there any more
    const proxy = await startProxy({ INSTAGRAM_API_URL: `${url}/v1` });
    try {
      const r = await send(`${proxy.url}/readyz`);
      assert.equal(r.status, 503);
      assert.deepEqual(r.json(), {
        status: 'not_ready',
        checks: { config: 'ok', 'upstream:instagram': 'fail' },
      });
      assert.equal((await send(`${proxy.url}/healthz`)).status, 200);
    } finally {
      await proxy.close();
    }
  });

  it('a failing readiness check (from deps or added later) is 503 JSON; liveness stays 200', async () => {
    let storeUp = false;
    const upstream = await startEchoUpstream();
    const proxy = await startProxy(
      { INSTAGRAM_API_URL: `${upstream.url}/v1` },
      {
        readinessChecks: [{ name: 'redis', check: () => Promise.reject(new Error('connect ECONNREFUSED')) }],
      },
    );
    try {
      proxy.app.health.addCheck({ name: 'store', check: () => storeUp });
      const r = await send(`${proxy.url}/readyz`);
      assert.equal(r.status, 503);
      assert.deepEqual(r.json(), {
        status: 'not_ready',
        checks: { config: 'ok', 'upstream:instagram': 'ok', redis: 'fail', store: 'fail' },
      });
      assert.ok(!r.text.includes('ECONNREFUSED'), "a dependency's error text is not shown");
      storeUp = true;
      assert.equal((await send(`${proxy.url}/readyz`)).json().checks.store, 'ok');
      assert.equal((await send(`${proxy.url}/healthz`)).status, 200);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('readiness fails once shutdown begins, while liveness still answers', async () => {
    const proxy = await startProxy({});
    try {
      proxy.app.health.markShuttingDown();
      const r = await send(`${proxy.url}/readyz`);
      assert.equal(r.status, 503);
      assert.equal(r.json().status, 'shutting_down');
      assert.equal((await send(`${proxy.url}/healthz`)).status, 200);
    } finally {
      await proxy.close();
    }
    assert.equal(proxy.app.health.shuttingDown, true, 'close() marks the app as shutting down');
  });
});
