import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send } from '../helpers/http.js';
import { spawnProxy } from '../helpers/spawn.js';

describe('--workers 2 (node:cluster)', () => {
  let upstream: EchoUpstream;
  before(async () => {
    upstream = await startEchoUpstream();
  });
  after(async () => {
    await upstream.close();
  });

  it('two workers share the port and both answer; /metrics shows the whole cluster; SIGTERM stops all', async () => {
    const proxy = await spawnProxy({ INSTAGRAM_API_URL: upstream.url }, ['--workers', '2'], 2);
    try {
      const listening = proxy.lines.filter((l) => l.msg === 'ig-proxy listening');
      assert.deepEqual(listening.map((l) => l.worker).sort(), [1, 2]);
      assert.equal(new Set(listening.map((l) => l.address)).size, 1, 'one shared address');

      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await send(`${proxy.url}/proxy/instagram/users/self?access_token=t${i}`)).status);
      assert.deepEqual(statuses, [200, 200, 200, 200]);
      const isOpenRequest = (l: Record<string, unknown>) => l.msg === 'request' && l.route === 'open';
      await proxy.waitForLine(() => proxy.lines.filter(isOpenRequest).length === 4); // logs are async
      const served = proxy.lines.filter(isOpenRequest);
      assert.deepEqual([...new Set(served.map((l) => l.worker))].sort(), [1, 2], 'both workers served');

      assert.equal((await send(`${proxy.url}/readyz`)).status, 200);
      // whichever worker answers, the counters are the cluster's totals
      for (let i = 0; i < 2; i++) {
        const metrics = await send(`${proxy.url}/metrics`);
        assert.equal(metrics.status, 200);
        assert.match(
          metrics.text,
          /^igproxy_requests_total\{route="open",provider="instagram",status="200"\} 4$/m,
        );
      }

      proxy.child.kill('SIGTERM');
      assert.equal(await proxy.exited, 0);
      assert.equal(proxy.lines.filter((l) => l.msg === 'shut down').length, 2);
    } finally {
      await proxy.kill();
    }
  });
});
