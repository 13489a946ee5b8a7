import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send, sendRaw } from '../helpers/http.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';

// Regressions for what the first attack pass found: each kind of bad input gets a JSON 4xx, never a 500,
// and nothing reaches the upstream.
describe('bad input regressions', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  let port: number;
  before(async () => {
    upstream = await startEchoUpstream();
    proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1`, MAX_BODY_BYTES: '1000' });
    port = Number(new URL(proxy.url).port);
  });
  beforeEach(() => (upstream.received.length = 0));
  after(async () => {
    await proxy.close();
    await upstream.close();
  });
  const json = (body: string) =>
    send(`${proxy.url}/proxy/instagram/media/1/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('lone surrogates in JSON values or keys are 400 BadRequest (not a 500 from re-encoding)', async () => {
    for (const body of [
      '{"access_token":"t","text":"\\ud800"}',
      '{"access_token":"t","\\udfff":"x"}',
      '{"access_token":"t","text":"a\\udc00b"}',
    ]) {
      const r = await json(body);
      assert.equal(r.status, 400, body);
      assert.equal(r.json().error, 'BadRequest');
    }
    assert.equal(upstream.received.length, 0);
  });

  it('a well-formed surrogate pair (emoji) is fine', async () => {
    const r = await json('{"access_token":"t","text":"\\ud83d\\ude1b"}');
    assert.equal(r.status, 200);
    assert.equal(new URLSearchParams(upstream.received[0]?.body.toString()).get('text'), '😛');
  });

  it('JSON numbers that JSON.parse cannot keep exactly are refused, never silently changed', async () => {
    for (const n of ['1234567894561231236', '1e21', '-0', '9007199254740993']) {
      const r = await json(`{"access_token":"t","id":${n}}`);
      assert.equal(r.status, 400, n);
      assert.equal(r.json().error, 'BadRequest');
    }
    assert.equal(upstream.received.length, 0);
    const ok = await json('{"access_token":"t","count":10,"lat":48.858844,"neg":-3}');
    assert.equal(ok.status, 200);
    const got = new URLSearchParams(upstream.received[0]?.body.toString());
    assert.deepEqual([got.get('count'), got.get('lat'), got.get('neg')], ['10', '48.858844', '-3']);
  });

  it('bracketed parameter names are 400 (no second value for access_token via access_token[])', async () => {
    for (const q of [
      'access_token=t&access_token[]=EVIL',
      'access_token=t&a%5B%5D=1',
      'access_token=t&x]=1',
    ]) {
      const r = await send(`${proxy.url}/proxy/instagram/users/self?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.json().error, 'BadRequest');
    }
    assert.equal(upstream.received.length, 0);
  });

  it('malformed HTTP gets a JSON 400 and the connection closes', async () => {
    const raw = await sendRaw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n');
    assert.match(raw, /^HTTP\/1\.1 400 /);
    assert.match(raw, /content-type: application\/json/i);
    assert.match(raw, /"error":"BadRequest"/);
  });

  it('oversized headers get a JSON 431', async () => {
    const raw = await sendRaw(
      port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
    );
    assert.match(raw, /^HTTP\/1\.1 431 /);
    assert.match(raw, /"error":"RequestHeadersTooLarge"/);
  });

  it('Expect: 100-continue with a body over the limit gets 413 without a 100 Continue', async () => {
    const raw = await sendRaw(
      port,
      'POST /proxy/instagram/media/1/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 200000\r\nExpect: 100-continue\r\n\r\n',
    );
    assert.doesNotMatch(raw, /100 Continue/);
    assert.match(raw, /^HTTP\/1\.1 413 /);
    assert.match(raw, /"error":"PayloadTooLarge"/);
    assert.equal(upstream.received.length, 0);
  });

  it('Expect: 100-continue under the limit is continued and forwarded', async () => {
    const body = 'access_token=t&text=hi';
    const raw = await sendRaw(
      port,
      `POST /proxy/instagram/media/1/comments HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n${body}`,
    );
    assert.match(raw, /^HTTP\/1\.1 100 Continue/);
    assert.match(raw, /HTTP\/1\.1 200 OK/);
    assert.equal(upstream.received.length, 1);
  });
});

describe('one upstream deadline, queueing included', () => {
  it('requests queued behind a hung upstream connection still get 504 within about UPSTREAM_TIMEOUT_MS', async () => {
    const upstream = await startEchoUpstream('hang');
    const proxy = await startProxy({
      INSTAGRAM_API_URL: `${upstream.url}/v1`,
      UPSTREAM_TIMEOUT_MS: '400',
      UPSTREAM_MAX_CONNECTIONS: '1',
    });
    try {
      const started = Date.now();
      const replies = await Promise.all(
        [1, 2, 3, 4].map((i) => send(`${proxy.url}/proxy/instagram/users/self?access_token=t${i}`)),
      );
      const waited = Date.now() - started;
      assert.deepEqual(
        replies.map((r) => r.status),
        [504, 504, 504, 504],
      );
      assert.ok(
        waited < 1500,
        `the last answer came after ${waited} ms; queued requests must share the deadline`,
      );
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
