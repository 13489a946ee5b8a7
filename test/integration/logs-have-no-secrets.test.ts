import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createMockInstagram, type MockInstagram } from '../../src/mock/instagram.js';
import { jwtFor } from '../helpers/jwt.js';
import { form, send } from '../helpers/http.js';
import { startProxy, TEST_JWT_KEY, TEST_SECRET, type RunningProxy } from '../helpers/proxy.js';

const TOKEN = 'IGQVJ-secret-access-token-for-log-test';

describe("the proxy's own log output never holds a JWT, access token, sig or secret", () => {
  let mock: MockInstagram;
  let proxy: RunningProxy;
  before(async () => {
    mock = createMockInstagram({ secret: TEST_SECRET });
    await mock.listen();
    proxy = await startProxy({ INSTAGRAM_API_URL: mock.url, LOG_LEVEL: 'trace' });
  });
  after(async () => {
    await proxy.close();
    await mock.close();
  });

  it('on success and on every error path', async () => {
    const jwt = jwtFor({ tokens: [TOKEN], sub: 'log-user' });
    const base = `${proxy.url}/secure-proxy/instagram`;
    const auth = { authorization: `Bearer ${jwt}`, cookie: 'sessionid=browser-cookie-value' };
    const replies = await Promise.all([
      send(`${base}/users/self?access_token=${TOKEN}`, { headers: auth }),
      send(`${base}/users/self?access_token=${TOKEN}&jwt=${jwt}`),
      send(`${base}/media/1/comments`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ access_token: TOKEN, text: 'x' }),
      }),
      send(`${base}/users/self?access_token=${TOKEN}`),
      send(`${base}/users/self?access_token=${TOKEN}`, {
        headers: { authorization: `Bearer ${jwt.slice(0, -4)}` },
      }),
      send(`${base}/users/self?access_token=${TOKEN}`, {
        headers: { authorization: `Bearer ${jwtFor({ tokens: ['nope'] })}` },
      }),
      send(`${base}/users/self?access_token=${TOKEN}&access_token=${TOKEN}`, { headers: auth }),
      send(`${base}/../x?access_token=${TOKEN}`, { headers: auth }),
      send(`${proxy.url}/proxy/instagram/users/self?access_token=${TOKEN}&sig=client-sig`),
    ]);
    assert.deepEqual(
      replies.map((r) => r.status),
      [200, 200, 200, 401, 401, 403, 400, 400, 200],
    );
    await new Promise((r) => setTimeout(r, 50)); // let the last log lines flush
    const logs = proxy.logs.join('');
    const sigs = mock.received.map(
      (r) =>
        new URLSearchParams(r.url.split('?')[1] ?? r.body).get('sig') ??
        new URLSearchParams(r.body).get('sig'),
    );
    const forbidden = [
      jwt,
      jwt.split('.')[2] as string,
      TOKEN,
      TEST_SECRET,
      TEST_JWT_KEY,
      'browser-cookie-value',
      'client-sig',
      ...sigs.filter(Boolean),
    ];
    const expectedSig = createHmac('sha256', TEST_SECRET)
      .update(`/users/self|access_token=${TOKEN}`)
      .digest('hex');
    forbidden.push(expectedSig);
    assert.ok(proxy.logs.length >= replies.length, 'one log line per request');
    for (const secret of forbidden)
      assert.ok(!logs.includes(secret as string), `log output contains ${String(secret).slice(0, 12)}…`);
    const line = proxy.logs
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'request' && l.status === 200 && l.sub === 'log-user');
    assert.ok(line, 'a request line with the JWT subject');
    assert.equal(line.route, 'secure');
    assert.equal(line.provider, 'instagram');
    assert.match(line.tokenTag, /^[0-9a-f]{12}$/);
  });
});
