import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { jwtFor } from '../helpers/jwt.js';
import { form, send } from '../helpers/http.js';
import { startProxy, TEST_JWT_KEY, type RunningProxy } from '../helpers/proxy.js';

const TOKEN = 'tok-forwarding-1';

describe('forwarding: what reaches the upstream, what comes back', () => {
  let upstream: EchoUpstream;
  let proxy: RunningProxy;
  const jwt = () => jwtFor({ tokens: [TOKEN] });
  before(async () => {
    upstream = await startEchoUpstream();
    proxy = await startProxy({ INSTAGRAM_API_URL: `${upstream.url}/v1` });
  });
  beforeEach(() => {
    upstream.behaviour = 'echo';
    upstream.received.length = 0;
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('nothing of ours reaches the upstream: JWT (every place), credentials, hop-by-hop, Connection-named', async () => {
    const token = jwt();
    const r = await send(`${proxy.url}/secure-proxy/instagram/media/1/comments?jwt=${token}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-authorization': `Bearer ${token}`,
        cookie: 'session=browser-cookie',
        'proxy-authorization': 'Basic c2VjcmV0',
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': 'must-not-pass',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        upgrade: 'websocket',
        'x-custom': 'kept',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ access_token: TOKEN, text: 'hi', jwt: token, appsecret_proof: 'client-proof' }),
    });
    // The jwt in the body and the query are the same parameter twice: rejected before anything is sent.
    assert.equal(r.status, 400);
    assert.equal(r.json().error, 'DuplicateParameter');
    assert.equal(upstream.received.length, 0);

    const ok = await send(`${proxy.url}/secure-proxy/instagram/media/1/comments?jwt=${token}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-authorization': `Bearer ${token}`,
        cookie: 'session=browser-cookie',
        'proxy-authorization': 'Basic c2VjcmV0',
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': 'must-not-pass',
        te: 'trailers',
        'x-custom': 'dropped',
        'accept-language': 'fr',
        'content-encoding': 'gzip',
        'content-md5': 'Q2hlY2sgSW50ZWdyaXR5IQ==',
        digest: 'sha-256=abc',
        'x-http-method-override': 'DELETE',
        'x-original-url': '/admin',
        forwarded: 'for=1.2.3.4;host=evil.example',
        'x-forwarded-host': 'evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ access_token: TOKEN, text: 'hi', appsecret_proof: 'client-proof', appsecret_time: '1' }),
    });
    assert.equal(ok.status, 200, ok.text);
    const seen = upstream.received[0];
    assert.ok(seen);
    for (const name of [
      'authorization',
      'x-authorization',
      'cookie',
      'proxy-authorization',
      'x-secret-hop',
      'te',
    ]) {
      assert.equal(seen.headers[name], undefined, `${name} must not be forwarded`);
    }
    const dropped = [
      'x-custom',
      'content-encoding',
      'content-md5',
      'digest',
      'x-http-method-override',
      'x-original-url',
      'forwarded',
      'x-forwarded-host',
    ];
    for (const name of dropped) assert.equal(seen.headers[name], undefined, `${name} must not be forwarded`);
    assert.equal(seen.headers['accept-language'], 'fr');
    assert.equal(new URLSearchParams(seen.body.toString()).get('appsecret_proof'), null);
    assert.equal(new URLSearchParams(seen.body.toString()).get('appsecret_time'), null);
    assert.equal(seen.headers.host, new URL(upstream.url).host);
    assert.ok(!seen.url.includes('jwt') && !seen.body.toString().includes('jwt'));
    assert.ok(
      !seen.url.includes(token.split('.')[2] as string) &&
        !seen.body.toString().includes(token.split('.')[1] as string),
    );
    const body = new URLSearchParams(seen.body.toString());
    assert.equal(body.get('access_token'), TOKEN);
    assert.equal(body.get('text'), 'hi');
    assert.match(body.get('sig') ?? '', /^[0-9a-f]{64}$/);
    assert.equal(Number(seen.headers['content-length']), seen.body.length);
    assert.equal(seen.url, '/v1/media/1/comments');
    assert.ok(!JSON.stringify(seen).includes(TEST_JWT_KEY));
  });

  it('the client can only reach paths below the configured base', async () => {
    const r = await send(`${proxy.url}/proxy/instagram/users/self?access_token=${TOKEN}`);
    assert.equal(r.status, 200);
    assert.equal(upstream.received[0]?.url.startsWith('/v1/users/self?'), true);
  });

  it('streams the response back unchanged: status, content-encoding, body bytes', async () => {
    const payload = gzipSync(Buffer.from(JSON.stringify({ data: 'x'.repeat(5000) })));
    upstream.behaviour = (_req, res) => {
      res.writeHead(201, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'x-upstream': 'yes',
        'set-cookie': 'a=b',
      });
      res.end(payload);
    };
    const r = await send(`${proxy.url}/proxy/instagram/users/self?access_token=${TOKEN}`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(r.status, 201);
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.equal(r.headers['x-upstream'], 'yes');
    assert.equal(r.headers['set-cookie'], undefined);
    assert.deepEqual(r.body, payload);
    // With REWRITE_PAGING on (the default) the proxy asks for an uncompressed body so it can rewrite
    // pagination links (graph-paging.test.ts covers REWRITE_PAGING=false forwarding the client's).
    assert.equal(upstream.received[0]?.headers['accept-encoding'], 'identity');
  });

  it('upstream errors pass through unchanged', async () => {
    const errorBody = JSON.stringify({
      meta: {
        code: 400,
        error_type: 'OAuthAccessTokenException',
        error_message: 'The access_token provided is invalid.',
      },
    });
    upstream.behaviour = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(errorBody);
    };
    const r = await send(`${proxy.url}/secure-proxy/instagram/users/self?access_token=${TOKEN}`, {
      headers: { authorization: `Bearer ${jwt()}` },
    });
    assert.equal(r.status, 400);
    assert.equal(r.text, errorBody);
  });

  it('redirects are never followed', async () => {
    upstream.behaviour = (_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
      res.end();
    };
    const r = await send(`${proxy.url}/proxy/instagram/users/self?access_token=${TOKEN}`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, 'http://169.254.169.254/latest/meta-data');
    assert.equal(upstream.received.length, 1);
  });

  it("a client's appsecret_proof / appsecret_time never reach the legacy API either (query)", async () => {
    const r = await send(
      `${proxy.url}/proxy/instagram/users/self?access_token=${TOKEN}&appsecret_proof=p&appsecret_time=1&sig=s`,
    );
    assert.equal(r.status, 200);
    const q = new URL(upstream.received[0]?.url ?? '', 'http://x').searchParams;
    assert.deepEqual([...q.keys()].sort(), ['access_token', 'sig']);
    assert.notEqual(q.get('sig'), 's');
  });

  it('the forwarded query carries one canonical value per key, re-encoded', async () => {
    const r = await send(
      `${proxy.url}/proxy/instagram/media/search?lat=48.858844&text=a+b%2Bc&access_token=${TOKEN}`,
    );
    assert.equal(r.status, 200);
    const q = new URL(upstream.received[0]?.url ?? '', 'http://x').searchParams;
    assert.equal(q.get('text'), 'a b+c');
    assert.equal(q.get('lat'), '48.858844');
    assert.equal(q.getAll('sig').length, 1);
  });
});
