import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send, type Reply } from '../helpers/http.js';
import { jwtFor } from '../helpers/jwt.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';

const TOKEN = 'rl-token-1';
const OTHER = 'rl-token-2';

function limitHeaders(r: Reply) {
  return {
    limit: r.headers['ratelimit-limit'],
    remaining: r.headers['ratelimit-remaining'],
    reset: r.headers['ratelimit-reset'],
  };
}

describe('rate limits (in-memory store)', () => {
  let upstream: EchoUpstream;
  const open: RunningProxy[] = [];
  // A clock that stands still (JWTs minted now stay valid): the header values are then exact.
  const now = Date.now();
  const start = async (values: Record<string, string>) => {
    const p = await startProxy({ INSTAGRAM_API_URL: upstream.url, ...values }, { clock: () => now });
    open.push(p);
    return p;
  };
  const secure = (p: RunningProxy, jwt: string, token = TOKEN) =>
    send(`${p.url}/secure-proxy/instagram/users/self?access_token=${token}`, {
      headers: { authorization: `Bearer ${jwt}` },
    });

  before(async () => {
    upstream = await startEchoUpstream();
  });
  after(async () => {
    for (const p of open) await p.close();
    await upstream.close();
  });

  it('per subject: 2/1m lets two through with RateLimit headers, the third is 429 with Retry-After', async () => {
    const p = await start({ RATE_LIMIT_PER_SUBJECT: '2/1m' });
    const jwt = jwtFor({ tokens: [TOKEN], sub: 'user-a' });
    const before = upstream.received.length;
    const r1 = await secure(p, jwt);
    const r2 = await secure(p, jwt);
    const r3 = await secure(p, jwt);
    assert.deepEqual([r1.status, r2.status, r3.status], [200, 200, 429]);
    // one request refills every 30 s: after the first, 1 left and the full quota is back in 30 s
    assert.deepEqual(limitHeaders(r1), { limit: '2', remaining: '1', reset: '30' });
    assert.deepEqual(limitHeaders(r2), { limit: '2', remaining: '0', reset: '60' });
    assert.equal(r1.headers['ratelimit-policy'], '2;w=60');
    assert.deepEqual(r3.json(), { error: 'RateLimited', message: 'Too many requests' });
    assert.equal(r3.headers['retry-after'], '30');
    assert.deepEqual(limitHeaders(r3), { limit: '2', remaining: '0', reset: '60' });
    assert.equal(upstream.received.length - before, 2, 'the refused request never reached the API');
    // another subject has its own quota
    assert.equal((await secure(p, jwtFor({ tokens: [TOKEN], sub: 'user-b' }))).status, 200);
    const metrics = (await send(`${p.url}/metrics`)).text;
    assert.match(metrics, /^igproxy_rate_limited_total\{scope="subject"\} 1$/m);
    assert.match(metrics, /^igproxy_requests_total\{route="secure",provider="instagram",status="429"\} 1$/m);
  });

  it('per access token: shared by every subject that uses the token', async () => {
    const p = await start({ RATE_LIMIT_PER_TOKEN: '2/1m' });
    const a = jwtFor({ tokens: [TOKEN, OTHER], sub: 'user-a' });
    const b = jwtFor({ tokens: [TOKEN, OTHER], sub: 'user-b' });
    const statuses = [
      (await secure(p, a)).status,
      (await secure(p, b)).status,
      (await secure(p, b)).status,
      (await secure(p, b, OTHER)).status,
    ];
    assert.deepEqual(statuses, [200, 200, 429, 200]);
  });

  it('a JWT without sub is limited as itself (two such JWTs do not share a quota)', async () => {
    const p = await start({ RATE_LIMIT_PER_SUBJECT: '1/1h' });
    const first = jwtFor({ tokens: [TOKEN], jti: 'one' });
    const second = jwtFor({ tokens: [TOKEN], jti: 'two' });
    assert.equal((await secure(p, first)).status, 200);
    assert.equal((await secure(p, first)).status, 429);
    assert.equal((await secure(p, second)).status, 200);
  });

  it('the tighter of the subject and token limits is the one reported', async () => {
    const p = await start({ RATE_LIMIT_PER_SUBJECT: '10/1m', RATE_LIMIT_PER_TOKEN: '3/1h' });
    const r = await secure(p, jwtFor({ tokens: [TOKEN], sub: 'user-c' }));
    assert.equal(r.status, 200);
    assert.deepEqual(limitHeaders(r), { limit: '3', remaining: '2', reset: '1200' });
    assert.equal(r.headers['ratelimit-policy'], '10;w=60, 3;w=3600');
  });

  it('a refused request does not count: the token limit refusing leaves the subject quota alone', async () => {
    const p = await start({ RATE_LIMIT_PER_SUBJECT: '2/1h', RATE_LIMIT_PER_TOKEN: '1/1h' });
    const jwt = jwtFor({ tokens: [TOKEN, OTHER], sub: 'user-d' });
    assert.equal((await secure(p, jwt)).status, 200); // subject 1/2, TOKEN 1/1
    assert.equal((await secure(p, jwt)).status, 429); // TOKEN refuses; the subject is not charged
    const r = await secure(p, jwt, OTHER); // so the subject still has one left
    assert.equal(r.status, 200);
    assert.equal(r.headers['ratelimit-remaining'], '0');
  });

  it('the open route is limited per access token', async () => {
    const p = await start({ RATE_LIMIT_PER_TOKEN: '1/1m', RATE_LIMIT_PER_SUBJECT: '1/1m' });
    const get = (token: string) => send(`${p.url}/proxy/instagram/users/self?access_token=${token}`);
    const r1 = await get(TOKEN);
    assert.equal(r1.status, 200);
    assert.equal(r1.headers['ratelimit-limit'], '1');
    const r2 = await get(TOKEN);
    assert.equal(r2.status, 429);
    assert.equal(r2.headers['retry-after'], '60');
    assert.equal((await get(OTHER)).status, 200);
  });

  it('errors before the limiter (no JWT) are not counted and carry no RateLimit headers', async () => {
    const p = await start({ RATE_LIMIT_PER_TOKEN: '1/1m' });
    const noJwt = await send(`${p.url}/secure-proxy/instagram/users/self?access_token=${TOKEN}`);
    assert.equal(noJwt.status, 401);
    assert.equal(noJwt.headers['ratelimit-limit'], undefined);
    assert.equal((await secure(p, jwtFor({ tokens: [TOKEN], sub: 'x' }))).status, 200);
  });

  it('without limits configured there are no RateLimit headers', async () => {
    const p = await start({});
    const r = await secure(p, jwtFor({ tokens: [TOKEN], sub: 'user-e' }));
    assert.equal(r.status, 200);
    assert.equal(r.headers['ratelimit-limit'], undefined);
  });
});
