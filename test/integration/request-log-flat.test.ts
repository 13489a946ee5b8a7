import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMockInstagram } from '../../src/mock/instagram.js';
import { jwtFor } from '../helpers/jwt.js';
import { send } from '../helpers/http.js';
import { startProxy, TEST_SECRET } from '../helpers/proxy.js';

// The request line is redacted with top-level paths only (logger.ts TOP_LEVEL_REDACT_PATHS), which is
// sound only while every field on it is a scalar: this test keeps it so.
describe('the per-request log line is flat', () => {
  it('every field of every request line is a scalar, on success and error paths', async () => {
    const mock = createMockInstagram({ secret: TEST_SECRET });
    await mock.listen();
    const proxy = await startProxy({ INSTAGRAM_API_URL: mock.url });
    try {
      const jwt = jwtFor({ tokens: ['t'], sub: 'flat-user' });
      const statuses = [];
      for (const [path, headers] of [
        ['/secure-proxy/instagram/users/self?access_token=t', { authorization: `Bearer ${jwt}` }],
        ['/secure-proxy/instagram/users/self?access_token=t', {}],
        ['/secure-proxy/instagram/users/self?access_token=x', { authorization: `Bearer ${jwt}` }],
        ['/proxy/instagram/../x', {}],
        ['/nope', {}],
      ] as const) {
        statuses.push((await send(`${proxy.url}${path}`, { headers })).status);
      }
      assert.deepEqual(statuses, [200, 401, 403, 400, 404]);
      await new Promise((r) => setTimeout(r, 50));
      const lines = proxy.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      assert.equal(lines.length, 5);
      for (const line of lines) {
        for (const [key, value] of Object.entries(line)) {
          assert.ok(value === null || typeof value !== 'object', `request line field ${key} is not a scalar`);
        }
      }
      assert.equal(lines[0].sub, 'flat-user');
    } finally {
      await proxy.close();
      await mock.close();
    }
  });
});
