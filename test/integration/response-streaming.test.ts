import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send } from '../helpers/http.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';

/** A deterministic body that is not one repeated byte, so a dropped or reordered chunk shows. */
function pattern(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (i * 31 + (i >> 10)) & 0xff;
  return out;
}

/** Opens a GET through the proxy and hands back the response without reading it. */
function open(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function waitFor(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() > until) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

function logLine(proxy: RunningProxy, requestId: string): Record<string, unknown> | undefined {
  return proxy.logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.msg === 'request' && l.reqId === requestId);
}

describe('upstream responses stream back to the client', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  /** The upstream response of the latest request, and whether it closed before finishing. */
  let upstreamRes: ServerResponse | undefined;
  let upstreamClosedEarly = false;
  const track = (res: ServerResponse) => {
    upstreamRes = res;
    upstreamClosedEarly = false;
    res.on('close', () => (upstreamClosedEarly = !res.writableFinished));
  };
  before(async () => {
    upstream = await startEchoUpstream();
    proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1`, UPSTREAM_TIMEOUT_MS: '5000' });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('a 4 MB body read slowly by the client arrives byte-exact (backpressure, many chunks)', async () => {
    const body = pattern(4 * 1024 * 1024);
    upstream.behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      for (let at = 0; at < body.length; at += 65536) res.write(body.subarray(at, at + 65536));
      res.end();
    };
    const res = await open(`${proxy.url}/proxy/instagram/media/1?access_token=t`);
    res.pause();
    await new Promise((r) => setTimeout(r, 200)); // let every buffer between us and the upstream fill
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.resume();
    await once(res, 'end');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-length'], String(body.length));
    assert.ok(Buffer.concat(chunks).equals(body), 'the body differs from what the upstream sent');
  });

  it('an informational 103 before the answer is skipped; the final status and body arrive', async () => {
    upstream.behaviour = (_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    };
    const r = await send(`${proxy.url}/proxy/instagram/media/1/likes?access_token=t`, { method: 'POST' });
    assert.equal(r.status, 201);
    assert.deepEqual(r.json(), { ok: true });
  });

  it('an upstream that dies mid-body ends the client socket short, and the next request works', async () => {
    upstream.behaviour = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 100_000 });
      res.write(pattern(1000), () => setTimeout(() => req.socket.destroy(), 50));
    };
    const res = await open(`${proxy.url}/proxy/instagram/media/1?access_token=t`);
    let received = 0;
    let aborted = false;
    res.on('data', (c: Buffer) => (received += c.length));
    res.on('error', () => (aborted = true));
    await new Promise((r) => res.on('close', r)); // not once(): that rejects on the 'error' event
    assert.ok(aborted, 'the client sees the response aborted');
    assert.equal(res.statusCode, 200);
    assert.ok(received < 100_000, 'a truncated body must not look complete');
    const id = res.headers['x-request-id'] as string;
    await waitFor('the log line', () => logLine(proxy, id) !== undefined);
    assert.equal(logLine(proxy, id)?.upstreamError, 'reset');
    upstream.behaviour = 'echo';
    const next = await send(`${proxy.url}/proxy/instagram/users/self?access_token=t`);
    assert.equal(next.status, 200);
  });

  it('a client that goes away mid-body cancels the upstream call', async () => {
    upstream.behaviour = (_req, res) => {
      track(res);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 1_000_000 });
      res.write(pattern(1000)); // and never the rest
    };
    const res = await open(`${proxy.url}/proxy/instagram/media/1?access_token=t`);
    await once(res, 'data');
    res.destroy();
    await waitFor('the upstream connection to close', () => upstreamClosedEarly);
    const id = res.headers['x-request-id'] as string;
    await waitFor('the log line', () => logLine(proxy, id) !== undefined);
    assert.equal(logLine(proxy, id)?.outcome, 'ClientClosedRequest');
  });

  it('a client that goes away before the upstream answered cancels the upstream call', async () => {
    upstreamRes = undefined;
    upstream.behaviour = (_req, res) => track(res); // never answers
    const req = request(`${proxy.url}/proxy/instagram/media/1?access_token=t`, { agent: false });
    req.on('error', () => {});
    req.end();
    await waitFor('the upstream to receive the request', () => upstreamRes !== undefined);
    req.destroy();
    await waitFor('the upstream connection to close', () => upstreamClosedEarly);
  });
});

describe('paging rewrite reads only small JSON bodies; larger ones stream through', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  before(async () => {
    upstream = await startEchoUpstream();
    proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1`, REWRITE_PAGING_MAX_BYTES: '2048' });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });
  const page = (filler: number) =>
    JSON.stringify({
      data: [{ id: '1', caption: 'x'.repeat(filler) }],
      pagination: { next_url: `${upstream.url}/v1/users/self/media/recent?access_token=t&max_id=9&sig=abc` },
    });
  const answer = (text: string, chunked: boolean) => (_req: IncomingMessage, res: ServerResponse) => {
    const body = Buffer.from(text);
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(chunked ? {} : { 'content-length': body.length }),
    });
    for (let at = 0; at < body.length; at += 1000) res.write(body.subarray(at, at + 1000));
    res.end();
  };

  it('a small page has its next_url rewritten to come back through the proxy', async () => {
    upstream.behaviour = answer(page(100), false);
    const r = await send(`${proxy.url}/proxy/instagram/users/self/media/recent?access_token=t`);
    assert.equal(r.status, 200);
    assert.equal(
      r.json().pagination.next_url,
      '/proxy/instagram/users/self/media/recent?access_token=t&max_id=9',
    );
    assert.equal(r.headers['content-length'], String(r.body.length));
  });

  for (const chunked of [false, true]) {
    it(`a page over the cap (${chunked ? 'chunked' : 'with Content-Length'}) arrives byte-exact`, async () => {
      const text = page(300_000);
      upstream.behaviour = answer(text, chunked);
      const r = await send(`${proxy.url}/proxy/instagram/users/self/media/recent?access_token=t`);
      assert.equal(r.status, 200);
      assert.equal(r.text, text);
    });
  }
});
