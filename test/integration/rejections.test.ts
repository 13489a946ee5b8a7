import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { jwtFor } from '../helpers/jwt.js';
import { form, send, sendRaw } from '../helpers/http.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';

const TOKEN = 'tok-rejections';

describe('bad requests are rejected before anything is sent upstream', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  before(async () => {
    upstream = await startEchoUpstream();
    proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1`, MAX_BODY_BYTES: '1024' });
  });
  beforeEach(() => (upstream.received.length = 0));
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  const expectError = async (
    r: Promise<import('../helpers/http.js').Reply>,
    status: number,
    error: string,
  ) => {
    const reply = await r;
    assert.equal(reply.status, status, reply.text);
    assert.equal(reply.json().error, error);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.equal(upstream.received.length, 0, 'the upstream must not be called');
  };

  describe('DuplicateParameter', () => {
    const auth = () => ({ authorization: `Bearer ${jwtFor({ tokens: [TOKEN, 'other'] })}` });
    it('the same key twice in the query', () =>
      expectError(
        send(`${proxy.url}/secure-proxy/instagram/users/self?access_token=${TOKEN}&access_token=other`, {
          headers: auth(),
        }),
        400,
        'DuplicateParameter',
      ));
    it('the same key encoded differently', () =>
      expectError(
        send(`${proxy.url}/proxy/instagram/users/self?access_token=${TOKEN}&access%5Ftoken=other`),
        400,
        'DuplicateParameter',
      ));
    it('a key in the query and in the form body', () =>
      expectError(
        send(`${proxy.url}/secure-proxy/instagram/media/1/likes?access_token=${TOKEN}`, {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
          body: form({ access_token: 'other' }),
        }),
        400,
        'DuplicateParameter',
      ));
    it('a key twice in a JSON body', () =>
      expectError(
        send(`${proxy.url}/secure-proxy/instagram/media/1/likes`, {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/json' },
          body: `{"access_token":"${TOKEN}","x":{"access_token":1},"access_token":"other"}`,
        }),
        400,
        'DuplicateParameter',
      ));
  });

  describe('InvalidPath: nothing can leave the configured origin and base path', () => {
    const paths = [
      '/../admin',
      '/users/%2e%2e/%2E%2E/x',
      '/users/.%2e/x',
      '/users%2fself',
      '//evil.example/x',
      '/@evil.example/x',
      '/users\\..\\x',
      '/users/%5c..',
      '/users/self%00',
      '/users/%252e%252e/x',
      '/users/%zz',
      '/a/./b',
    ];
    for (const path of paths) {
      it(JSON.stringify(path), () =>
        expectError(send(`${proxy.url}/proxy/instagram${path}?access_token=${TOKEN}`), 400, 'InvalidPath'),
      );
    }
  });

  it('an absolute-form request target is a 400', async () => {
    const raw = await sendRaw(
      Number(new URL(proxy.url).port),
      `GET http://evil.example/proxy/instagram/users/self HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
    );
    assert.match(raw, /^HTTP\/1\.1 400 /);
    assert.match(raw, /"error":"BadRequest"/);
    assert.equal(upstream.received.length, 0);
  });

  it('a body over MAX_BODY_BYTES is 413 before any auth work', () =>
    expectError(
      send(`${proxy.url}/secure-proxy/instagram/media/1/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `text=${'a'.repeat(2000)}`,
      }),
      413,
      'PayloadTooLarge',
    ));

  it('a chunked body over the limit is 413 too', () =>
    expectError(
      send(`${proxy.url}/proxy/instagram/media/1/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' },
        body: `text=${'a'.repeat(3000)}`,
      }),
      413,
      'PayloadTooLarge',
    ));

  it('malformed percent-encoding is 400 BadRequest', () =>
    expectError(send(`${proxy.url}/proxy/instagram/users/self?access_token=%E0%A4%A`), 400, 'BadRequest'));
  it('invalid JSON is 400 BadRequest', () =>
    expectError(
      send(`${proxy.url}/proxy/instagram/media/1/likes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":',
      }),
      400,
      'BadRequest',
    ));
  it('a JSON array or nested value is 400 BadRequest', async () => {
    await expectError(
      send(`${proxy.url}/proxy/instagram/media/1/likes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '[1]',
      }),
      400,
      'BadRequest',
    );
    await expectError(
      send(`${proxy.url}/proxy/instagram/media/1/likes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":{"b":1}}',
      }),
      400,
      'BadRequest',
    );
  });
  it('a body that is neither form nor JSON is 415 for the legacy API', () =>
    expectError(
      send(`${proxy.url}/proxy/instagram/media/1/likes`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      }),
      415,
      'UnsupportedMediaType',
    ));
  it('two Authorization headers are a 400', () => {
    const jwt = jwtFor({ tokens: [TOKEN] });
    return expectError(
      send(`${proxy.url}/secure-proxy/instagram/users/self?access_token=${TOKEN}`, {
        headers: { authorization: [`Bearer ${jwt}`, `Bearer ${jwt}`] as unknown as string },
      }),
      400,
      'BadRequest',
    );
  });
  it('different JWTs in two places are a 400', () =>
    expectError(
      send(
        `${proxy.url}/secure-proxy/instagram/users/self?access_token=${TOKEN}&jwt=${jwtFor({ tokens: [TOKEN], sub: 'b' })}`,
        {
          headers: { authorization: `Bearer ${jwtFor({ tokens: [TOKEN], sub: 'a' })}` },
        },
      ),
      400,
      'BadRequest',
    ));

  describe('routes', () => {
    it('unknown paths are 404 JSON, never 401', async () => {
      for (const path of [
        '/nope',
        '/secure-proxy',
        '/secure-proxy/',
        '/proxyx/instagram/users/self',
        '/secure-proxy/twitter/users/self',
      ]) {
        await expectError(send(`${proxy.url}${path}`), 404, 'NotFound');
      }
    });
    it('GET / describes the service', async () => {
      const r = await send(`${proxy.url}/`);
      assert.equal(r.status, 200);
      const info = r.json();
      assert.equal(info.name, 'ig-proxy');
      assert.deepEqual(info.providers, ['instagram']);
      assert.deepEqual(info.routes, { open: true, secure: true });
    });
    it('GET /healthz is 200', async () => {
      assert.equal((await send(`${proxy.url}/healthz`)).status, 200);
    });
  });
});

describe('open route switch', () => {
  it('is off in production (404) unless OPEN_PROXY=true', async () => {
    const upstream = await startEchoUpstream();
    const prod = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1` }, {}, 'production');
    const forced = await startProxy(
      { INSTAGRAM_API_URL: `${upstream.url}/v1`, OPEN_PROXY: 'true' },
      {},
      'production',
    );
    const off = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1`, OPEN_PROXY: 'false' });
    try {
      const r = await send(`${prod.url}/proxy/instagram/users/self?access_token=x`);
      assert.equal(r.status, 404);
      assert.equal(r.json().error, 'NotFound');
      assert.equal((await send(`${off.url}/proxy/instagram/users/self?access_token=x`)).status, 404);
      assert.equal(upstream.received.length, 0);
      assert.equal((await send(`${forced.url}/proxy/instagram/users/self?access_token=x`)).status, 200);
    } finally {
      await Promise.all([prod.close(), forced.close(), off.close()]);
      await upstream.close();
    }
  });
});

describe('methods', () => {
  it('TRACE, CONNECT-like and unknown methods are 405 with Allow; the upstream is not called', async () => {
    const upstream = await startEchoUpstream();
    const proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1` });
    try {
      for (const method of ['TRACE', 'PROPFIND', 'M-SEARCH']) {
        const r = await send(`${proxy.url}/proxy/instagram/users/self?access_token=x`, { method });
        assert.equal(r.status, 405, method);
        assert.equal(r.json().error, 'MethodNotAllowed');
        assert.match(String(r.headers.allow), /GET/);
      }
      assert.equal(upstream.received.length, 0);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
