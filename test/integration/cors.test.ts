import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send, type Reply } from '../helpers/http.js';
import { jwtFor } from '../helpers/jwt.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.com';

const corsHeaders = (r: Reply) => Object.keys(r.headers).filter((h) => h.startsWith('access-control-'));
const list = (v: unknown) =>
  String(v ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase());

describe('CORS on the proxy routes', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  const secure = (path = '/users/self?access_token=t') => `${proxy.url}/secure-proxy/instagram${path}`;
  const preflight = (origin: string, method = 'GET', headers = 'authorization') =>
    send(secure(), {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': headers,
      },
    });

  before(async () => {
    upstream = await startEchoUpstream((_req, res) => {
      // An API host that answers with its own CORS headers and a Vary: ours must win, Vary must merge.
      res.writeHead(200, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'access-control-allow-credentials': 'true',
        vary: 'Accept-Encoding',
      });
      res.end('{"ok":true}');
    });
    proxy = await startProxy({
      INSTAGRAM_API_URL: `${upstream.url}/v1`,
      CORS_ORIGINS: `${APP},http://127.0.0.1:5173`,
    });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('a preflight from an allowed origin is 204 with the methods and headers, never credentials', async () => {
    const r = await preflight(APP, 'DELETE', 'Authorization, X-Authorization, Content-Type, X-Request-Id');
    assert.equal(r.status, 204);
    assert.equal(r.headers['access-control-allow-origin'], APP);
    assert.deepEqual(list(r.headers['access-control-allow-methods']), [
      'get',
      'post',
      'put',
      'patch',
      'delete',
    ]);
    for (const h of ['authorization', 'x-authorization', 'content-type', 'x-request-id'])
      assert.ok(list(r.headers['access-control-allow-headers']).includes(h), h);
    assert.ok(Number(r.headers['access-control-max-age']) > 0);
    assert.equal(r.headers['access-control-allow-credentials'], undefined);
    assert.ok(list(r.headers.vary).includes('origin'));
    assert.equal(r.text, '');
    assert.equal(upstream.received.length, 0, 'a preflight is answered by the proxy, never forwarded');
  });

  it('a preflight needs no JWT and works on every method the browser may ask for', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await preflight('http://127.0.0.1:5173', method, 'content-type');
      assert.equal(r.status, 204, method);
      assert.equal(r.headers['access-control-allow-origin'], 'http://127.0.0.1:5173');
    }
  });

  it('a preflight from another origin, or asking for another method or header, gets no CORS headers', async () => {
    for (const r of [
      await preflight(EVIL),
      await preflight(`${APP}.evil.example`),
      await preflight('null'),
      await preflight(APP, 'TRACE'),
      await preflight(APP, 'GET', 'authorization, x-api-key'),
    ]) {
      assert.equal(r.status, 204);
      assert.deepEqual(corsHeaders(r), []);
      assert.ok(list(r.headers.vary).includes('origin'));
    }
  });

  it('an allowed origin can read a proxied answer: our Allow-Origin wins over the API host’s, Vary merges', async () => {
    const r = await send(secure(), {
      headers: { origin: APP, authorization: `Bearer ${jwtFor({ tokens: ['t'] })}` },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], APP);
    assert.equal(r.headers['access-control-allow-credentials'], undefined);
    const exposed = list(r.headers['access-control-expose-headers']);
    for (const h of [
      'x-request-id',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
    ])
      assert.ok(exposed.includes(h), h);
    assert.deepEqual(list(r.headers.vary), ['origin', 'accept-encoding']);
  });

  it('another origin gets no CORS header at all, not even the API host’s `*`', async () => {
    const r = await send(`${proxy.url}/proxy/instagram/users/self?access_token=t`, {
      headers: { origin: EVIL },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(corsHeaders(r), []);
    assert.ok(list(r.headers.vary).includes('origin'));
  });

  it('without an Origin header there is no CORS header, but still Vary: Origin', async () => {
    const r = await send(`${proxy.url}/proxy/instagram/users/self?access_token=t`);
    assert.deepEqual(corsHeaders(r), []);
    assert.ok(list(r.headers.vary).includes('origin'));
  });

  it('error answers carry the CORS headers too, so the page can read 401 and 403', async () => {
    const noJwt = await send(secure(), { headers: { origin: APP } });
    assert.equal(noJwt.status, 401);
    assert.equal(noJwt.headers['access-control-allow-origin'], APP);
    const forbidden = await send(secure(), {
      headers: { origin: APP, authorization: `Bearer ${jwtFor({ tokens: ['other'] })}` },
    });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.headers['access-control-allow-origin'], APP);
    assert.ok(list(forbidden.headers['access-control-expose-headers']).includes('x-request-id'));
    const evil = await send(secure(), { headers: { origin: EVIL } });
    assert.equal(evil.status, 401);
    assert.deepEqual(corsHeaders(evil), []);
  });

  it('routes that are not proxy routes carry no CORS headers', async () => {
    const r = await send(`${proxy.url}/healthz`, { headers: { origin: APP } });
    assert.equal(r.status, 200);
    assert.deepEqual(corsHeaders(r), []);
  });
});

describe('CORS when the open route is off', () => {
  it('a preflight on /proxy/... is the same 404 as any request there', async () => {
    const proxy = await startProxy({ CORS_ORIGINS: APP, OPEN_PROXY: 'false' });
    try {
      const r = await send(`${proxy.url}/proxy/instagram/users/self`, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'GET' },
      });
      assert.equal(r.status, 404);
      assert.equal(r.json().error, 'NotFound');
    } finally {
      await proxy.close();
    }
  });
});
