import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../helpers/echo-upstream.js';
import { send } from '../helpers/http.js';
import { jwtFor } from '../helpers/jwt.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';
import { spawnProxy, type SpawnedProxy } from '../helpers/spawn.js';
import { startTcpSwitch, type TcpSwitch } from '../helpers/tcp-switch.js';

const REDIS = 'redis://127.0.0.1:6379';
const TOKEN = 'redis-rl-token';
/** Each run gets its own keys: other people run these tests against the same Redis. */
const prefix = () => `igproxy-test:${randomBytes(6).toString('hex')}:`;

const secure = (baseUrl: string, jwt: string) =>
  send(`${baseUrl}/secure-proxy/instagram/users/self?access_token=${TOKEN}`, {
    headers: { authorization: `Bearer ${jwt}` },
  });

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('rate limits shared through Redis', () => {
  let upstream: EchoUpstream;
  const proxies: RunningProxy[] = [];
  const start = async (values: Record<string, string>) => {
    const p = await startProxy({ INSTAGRAM_API_URL: upstream.url, ...values });
    proxies.push(p);
    return p;
  };
  before(async () => {
    upstream = await startEchoUpstream();
  });
  after(async () => {
    for (const p of proxies) await p.close();
    await upstream.close();
  });

  it('two proxy processes on the same Redis share one limit', async () => {
    const env = {
      INSTAGRAM_API_URL: upstream.url,
      REDIS_URL: REDIS,
      RATE_LIMIT_KEY_PREFIX: prefix(),
      RATE_LIMIT_PER_SUBJECT: '3/1m',
      LOG_LEVEL: 'info',
    };
    const spawned: SpawnedProxy[] = [];
    try {
      const started = await Promise.allSettled([spawnProxy(env), spawnProxy(env)]);
      for (const s of started) if (s.status === 'fulfilled') spawned.push(s.value);
      assert.equal(spawned.length, 2, 'both proxies started');
      const [a, b] = spawned as [SpawnedProxy, SpawnedProxy];
      assert.notEqual(a.port, b.port);
      const jwt = jwtFor({ tokens: [TOKEN], sub: 'shared-user' });
      const seen = [];
      for (const p of [a, b, a, b]) {
        const r = await secure(p.url, jwt);
        seen.push([r.status, r.headers['ratelimit-remaining']]);
      }
      assert.deepEqual(seen, [
        [200, '2'],
        [200, '1'],
        [200, '0'],
        [429, '0'],
      ]);
      // and both report Redis in their readiness
      const ready = await send(`${b.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.equal(ready.json().checks.redis, 'ok');
    } finally {
      for (const p of spawned) await p.kill();
    }
  });

  it('Redis connection cut, fail open (default): requests pass without RateLimit headers, logged, not ready; then recovers', async () => {
    const sw: TcpSwitch = await startTcpSwitch(6379);
    try {
      const p = await start({
        REDIS_URL: `redis://default:pw-4f1d9c-secret@127.0.0.1:${sw.port}`,
        RATE_LIMIT_KEY_PREFIX: prefix(),
        RATE_LIMIT_PER_SUBJECT: '5/1m',
      });
      const jwt = jwtFor({ tokens: [TOKEN], sub: 'open-user' });
      await until('redis ready', async () => (await send(`${p.url}/readyz`)).status === 200);
      // (the test Redis's default user has no password, so it accepts any: the URL still carries one)
      const first = await secure(p.url, jwt);
      assert.equal(first.status, 200);
      assert.equal(first.headers['ratelimit-remaining'], '4');

      sw.cut();
      const during = await secure(p.url, jwt);
      assert.equal(during.status, 200);
      assert.equal(during.headers['ratelimit-limit'], undefined);
      const ready = await send(`${p.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(ready.json().checks.redis, 'fail');
      const logs = p.logs.join('');
      assert.match(logs, /rate-limit store unavailable/);
      assert.match(logs, new RegExp(`127\\.0\\.0\\.1:${sw.port}`));
      assert.doesNotMatch(logs, /pw-4f1d9c-secret/);

      sw.restore();
      await until('redis ready again', async () => (await send(`${p.url}/readyz`)).status === 200);
      const back = await secure(p.url, jwt);
      assert.equal(back.status, 200);
      assert.equal(back.headers['ratelimit-remaining'], '3');
    } finally {
      await sw.close();
    }
  });

  it('Redis down when the proxy starts: it serves (fail open) and picks Redis up once it is back', async () => {
    const sw = await startTcpSwitch(6379);
    try {
      sw.cut();
      const p = await start({
        REDIS_URL: `redis://127.0.0.1:${sw.port}`,
        RATE_LIMIT_KEY_PREFIX: prefix(),
        RATE_LIMIT_PER_TOKEN: '5/1m',
      });
      const jwt = jwtFor({ tokens: [TOKEN], sub: 'late-user' });
      const during = await secure(p.url, jwt);
      assert.equal(during.status, 200);
      assert.equal(during.headers['ratelimit-limit'], undefined);
      assert.equal((await send(`${p.url}/readyz`)).status, 503);
      sw.restore();
      await until('redis ready', async () => (await send(`${p.url}/readyz`)).status === 200);
      const after = await secure(p.url, jwt);
      assert.equal(after.headers['ratelimit-remaining'], '4');
    } finally {
      await sw.close();
    }
  });

  it('Redis connection cut, RATE_LIMIT_FAIL_OPEN=false: 503 ServiceUnavailable, nothing forwarded', async () => {
    const sw = await startTcpSwitch(6379);
    try {
      const p = await start({
        REDIS_URL: `redis://127.0.0.1:${sw.port}`,
        RATE_LIMIT_KEY_PREFIX: prefix(),
        RATE_LIMIT_PER_TOKEN: '5/1m',
        RATE_LIMIT_FAIL_OPEN: 'false',
      });
      await until('redis ready', async () => (await send(`${p.url}/readyz`)).status === 200);
      sw.cut();
      const forwarded = upstream.received.length;
      const r = await secure(p.url, jwtFor({ tokens: [TOKEN], sub: 'closed-user' }));
      assert.equal(r.status, 503);
      assert.equal(r.json().error, 'ServiceUnavailable');
      assert.equal(upstream.received.length, forwarded);
      assert.match(p.logs.join(''), /refusing requests/);
    } finally {
      await sw.close();
    }
  });
});
