import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createMockInstagram, type MockInstagram } from '../../src/mock/instagram.js';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { form, send, type Reply } from '../helpers/http.js';
import { jwtFor } from '../helpers/jwt.js';
import { startProxy, TEST_JWT_KEY, TEST_SECRET, type RunningProxy } from '../helpers/proxy.js';
import { waitUntil } from '../helpers/wait.js';

const TOKEN = 'IGQVJ-request-log-access-token-7f3a';
const OTHER_SECRET = 'a-different-client-secret-99f0e1';
const COOKIE = 'sessionid=browser-session-cookie-51c2';
const CLIENT_SIG = 'client-supplied-sig-0b7e';
const FORBIDDEN_WORDS = ['Bearer', 'bearer'];

interface Case {
  name: string;
  proxy: () => RunningProxy;
  path: string;
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  status: number;
  outcome: string;
}

type Line = Record<string, unknown>;
const requestLines = (p: RunningProxy): Line[] =>
  p.logs.map((l) => JSON.parse(l) as Line).filter((l) => l.msg === 'request');

describe('request logs: one JSON line per request, with no credential on any path', () => {
  let mock: MockInstagram;
  let hang: EchoUpstream;
  let main: RunningProxy;
  let wrongSecret: RunningProxy;
  let slow: RunningProxy;
  let down: RunningProxy;
  const now = Math.floor(Date.now() / 1000);
  const jwts = {
    good: jwtFor({ tokens: [TOKEN], sub: 'log-user-1' }),
    noSub: jwtFor({ tokens: [TOKEN] }),
    expired: jwtFor({ tokens: [TOKEN], iat: now - 7200, exp: now - 3600 }),
    future: jwtFor({ tokens: [TOKEN], nbf: now + 3600 }),
    wrongKey: jwtFor({ tokens: [TOKEN] }, 'not-the-proxy-key-not-the-proxy-key'),
    noTokens: jwtFor({ sub: 'log-user-2' }),
    otherTokens: jwtFor({ tokens: ['another-token'] }),
  };
  const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}`, cookie: COOKIE });
  const q = `access_token=${TOKEN}`;
  const cases: Case[] = [
    {
      name: 'Bearer',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: bearer(jwts.good),
      status: 200,
      outcome: 'proxied',
    },
    {
      name: 'X-Authorization',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: { 'x-authorization': `Bearer ${jwts.noSub}` },
      status: 200,
      outcome: 'proxied',
    },
    {
      name: 'jwt query',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}&jwt=${jwts.good}`,
      status: 200,
      outcome: 'proxied',
    },
    {
      name: 'jwt form body',
      proxy: () => main,
      path: '/secure-proxy/instagram/media/1/comments',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ access_token: TOKEN, jwt: jwts.good, text: 'hi' }),
      status: 200,
      outcome: 'proxied',
    },
    {
      name: 'JSON body',
      proxy: () => main,
      path: '/secure-proxy/instagram/media/1/comments',
      method: 'POST',
      headers: { ...bearer(jwts.good), 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: TOKEN, text: 'hi' }),
      status: 200,
      outcome: 'proxied',
    },
    {
      name: 'open route with a client sig',
      proxy: () => main,
      path: `/proxy/instagram/users/self?${q}&sig=${CLIENT_SIG}`,
      status: 200,
      outcome: 'proxied',
    },
    {
      name: 'no JWT',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: { cookie: COOKIE },
      status: 401,
      outcome: 'NoJWT',
    },
    {
      name: 'expired',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: bearer(jwts.expired),
      status: 401,
      outcome: 'TokenExpiredError',
    },
    {
      name: 'not yet valid',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: bearer(jwts.future),
      status: 401,
      outcome: 'NotBeforeError',
    },
    {
      name: 'wrong key',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: bearer(jwts.wrongKey),
      status: 401,
      outcome: 'JsonWebTokenError',
    },
    {
      name: 'no access token',
      proxy: () => main,
      path: '/secure-proxy/instagram/users/self',
      headers: bearer(jwts.good),
      status: 401,
      outcome: 'NoAccessToken',
    },
    {
      name: 'no tokens claim',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: bearer(jwts.noTokens),
      status: 401,
      outcome: 'NoJWTAccessTokens',
    },
    {
      name: 'token not permitted',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: bearer(jwts.otherTokens),
      status: 403,
      outcome: 'AccessTokenNotPermitted',
    },
    {
      name: 'duplicate parameter',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}&${q}`,
      headers: bearer(jwts.good),
      status: 400,
      outcome: 'DuplicateParameter',
    },
    {
      name: 'two Authorization headers',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: { authorization: [`Bearer ${jwts.good}`, `Bearer ${jwts.noSub}`] },
      status: 400,
      outcome: 'BadRequest',
    },
    {
      name: 'path escape',
      proxy: () => main,
      path: `/secure-proxy/instagram/%2e%2e/x?${q}`,
      headers: bearer(jwts.good),
      status: 400,
      outcome: 'InvalidPath',
    },
    {
      name: 'body too large',
      proxy: () => main,
      path: '/secure-proxy/instagram/media/1/comments',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ access_token: TOKEN, jwt: jwts.good, text: 'x'.repeat(5000) }),
      status: 413,
      outcome: 'PayloadTooLarge',
    },
    {
      name: 'unknown route',
      proxy: () => main,
      path: `/nope?${q}&jwt=${jwts.good}`,
      status: 404,
      outcome: 'NotFound',
    },
    {
      name: 'method not forwarded',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      method: 'OPTIONS',
      headers: bearer(jwts.good),
      status: 405,
      outcome: 'MethodNotAllowed',
    },
    {
      name: 'preflight',
      proxy: () => main,
      path: `/secure-proxy/instagram/users/self?${q}`,
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
      status: 204,
      outcome: 'preflight',
    },
    {
      name: 'upstream refuses the sig',
      proxy: () => wrongSecret,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: bearer(jwts.good),
      status: 403,
      outcome: 'proxied',
    },
    {
      name: 'upstream timeout',
      proxy: () => slow,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: bearer(jwts.good),
      status: 504,
      outcome: 'UpstreamTimeout',
    },
    {
      name: 'upstream down',
      proxy: () => down,
      path: `/secure-proxy/instagram/users/self?${q}`,
      headers: bearer(jwts.good),
      status: 502,
      outcome: 'UpstreamUnavailable',
    },
  ];
  const replies: Reply[] = [];
  const all = () => [main, wrongSecret, slow, down];

  before(async () => {
    mock = createMockInstagram({ secret: TEST_SECRET });
    await mock.listen();
    hang = await startEchoUpstream('hang');
    const trace = { LOG_LEVEL: 'trace', CORS_ORIGINS: 'https://app.example.com', MAX_BODY_BYTES: '2048' };
    main = await startProxy({ ...trace, INSTAGRAM_API_URL: mock.url });
    wrongSecret = await startProxy({
      ...trace,
      INSTAGRAM_API_URL: mock.url,
      INSTAGRAM_CLIENT_SECRET: OTHER_SECRET,
    });
    slow = await startProxy({ ...trace, INSTAGRAM_API_URL: `${hang.url}/v1`, UPSTREAM_TIMEOUT_MS: '200' });
    down = await startProxy({ ...trace, INSTAGRAM_API_URL: 'http://127.0.0.1:9/v1' });
    for (const [i, c] of cases.entries()) {
      const headers = { ...c.headers, 'x-request-id': `log-case-${i}` };
      replies.push(await send(`${c.proxy().url}${c.path}`, { method: c.method, headers, body: c.body }));
    }
    await waitUntil(
      () => all().reduce((n, p) => n + requestLines(p).length, 0) >= cases.length,
      'one request log line per request',
    );
  });
  after(async () => {
    await Promise.all(all().map((p) => p?.close()));
    await mock?.close();
    await hang?.close();
  });

  it('every case got the status it is about', () => {
    assert.deepEqual(
      replies.map((r, i) => `${cases[i]?.name}: ${r.status}`),
      cases.map((c) => `${c.name}: ${c.status}`),
    );
  });

  it('each request has exactly one line, with its id, status and outcome code', () => {
    for (const [i, c] of cases.entries()) {
      const lines = requestLines(c.proxy()).filter((l) => l.reqId === `log-case-${i}`);
      assert.equal(lines.length, 1, c.name);
      const line = lines[0] as Line;
      assert.equal(line.status, c.status, c.name);
      assert.equal(line.outcome, c.outcome, c.name);
      assert.equal(line.method, c.method ?? 'GET', c.name);
      assert.equal(replies[i]?.headers['x-request-id'], `log-case-${i}`, `${c.name}: X-Request-Id returned`);
      assert.equal(typeof line.durationMs, 'number', c.name);
    }
  });

  it('a proxied line names route, provider, upstream status and time, subject and a token tag', () => {
    const line = requestLines(main).find((l) => l.reqId === 'log-case-0') as Line;
    assert.equal(line.route, 'secure');
    assert.equal(line.provider, 'instagram');
    assert.equal(line.upstreamStatus, 200);
    assert.equal(typeof line.upstreamMs, 'number');
    assert.equal(line.sub, 'log-user-1');
    assert.equal(line.tokenTag, createHash('sha256').update(TOKEN).digest('hex').slice(0, 12));
    assert.equal(line.level, 30);
    const refused = requestLines(wrongSecret)[0] as Line;
    assert.equal(refused.upstreamStatus, 403, "the upstream's own refusal is logged as its status");
    assert.equal((requestLines(slow)[0] as Line).upstreamError, 'headers_timeout');
    assert.equal((requestLines(down)[0] as Line).upstreamError, 'refused');
  });

  it('no JWT, access token, sig, secret, cookie or Authorization value appears in any log line', () => {
    const text = all()
      .flatMap((p) => p.logs)
      .join('');
    const forwardedSigs = mock.received
      .map(
        (r) => new URLSearchParams(r.url.split('?')[1]).get('sig') ?? new URLSearchParams(r.body).get('sig'),
      )
      .filter((s): s is string => Boolean(s));
    assert.ok(forwardedSigs.length >= 6, 'the sigs the proxy computed, as the upstream received them');
    // The sig for GET /users/self, computed here with node:crypto from the documented scheme.
    const expectedSig = createHmac('sha256', TEST_SECRET)
      .update(`/users/self|access_token=${TOKEN}`)
      .digest('hex');
    assert.ok(forwardedSigs.includes(expectedSig));
    const forbidden = [
      ...Object.values(jwts),
      ...Object.values(jwts).map((j) => j.split('.')[2] as string),
      TOKEN,
      encodeURIComponent(TOKEN),
      TEST_SECRET,
      OTHER_SECRET,
      TEST_JWT_KEY,
      COOKIE,
      'browser-session-cookie-51c2',
      CLIENT_SIG,
      ...forwardedSigs,
      ...FORBIDDEN_WORDS,
    ];
    for (const secret of forbidden)
      assert.ok(!text.includes(secret), `log output contains ${secret.slice(0, 10)}…`);
  });
});
