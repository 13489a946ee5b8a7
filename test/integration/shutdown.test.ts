import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send } from '../helpers/http.js';
import { spawnProxy } from '../helpers/spawn.js';

/** Resolves with the error code of a fresh TCP connection attempt ('connected' if it worked). */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

describe('graceful shutdown of a real `ig-proxy serve` process', () => {
  let upstream: EchoUpstream;
  let release: () => void = () => {};
  let arrived: () => void = () => {};
  let arrival: Promise<void>;

  before(async () => {
    // An upstream that holds each request until the test releases it.
    upstream = await startEchoUpstream((_req, res) => {
      arrived();
      release = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":{"slow":true}}');
      };
    });
  });
  after(async () => {
    await upstream.close();
  });
  const expectArrival = () => (arrival = new Promise<void>((r) => (arrived = r)));

  it('SIGTERM: the in-flight request completes with 200, new connections are refused, exit 0', async () => {
    const proxy = await spawnProxy({ INSTAGRAM_API_URL: upstream.url, SHUTDOWN_GRACE_MS: '20000' });
    try {
      expectArrival();
      // settled early so a failure is reported with what the proxy said, not as an unhandled rejection
      const inFlight = send(`${proxy.url}/proxy/instagram/users/self?access_token=t`).then(
        (r) => r,
        (err: NodeJS.ErrnoException) => err,
      );
      await arrival;
      proxy.child.kill('SIGTERM');
      await proxy.waitForLine((l) => l.msg === 'shutting down: draining requests');
      assert.equal(await tryConnect(proxy.port), 'ECONNREFUSED');
      assert.equal(proxy.child.exitCode, null, 'still running while a request is in flight');
      release();
      const r = await inFlight;
      if (r instanceof Error) {
        const said = JSON.stringify(proxy.lines.slice(-5)) + proxy.stderr.join('');
        assert.fail(`in-flight request failed (${r.code}); exit ${await proxy.exited}; proxy: ${said}`);
      }
      assert.equal(r.status, 200);
      assert.deepEqual(r.json(), { data: { slow: true } });
      assert.equal(await proxy.exited, 0);
    } finally {
      await proxy.kill();
    }
  });

  it('a request still running when SHUTDOWN_GRACE_MS ends is cut, and the process still exits 0', async () => {
    const proxy = await spawnProxy({ INSTAGRAM_API_URL: upstream.url, SHUTDOWN_GRACE_MS: '200' });
    try {
      expectArrival();
      const inFlight = send(`${proxy.url}/proxy/instagram/users/self?access_token=t`).then(
        (r) => `status ${r.status}`,
        (err: NodeJS.ErrnoException) => err.code ?? 'error',
      );
      await arrival;
      proxy.child.kill('SIGINT');
      assert.equal(await proxy.exited, 0);
      assert.equal(await inFlight, 'ECONNRESET');
    } finally {
      release();
      await proxy.kill();
    }
  });
});
