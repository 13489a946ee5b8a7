import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, claims, forgeHs } from '../helpers/forge.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

const KEY_1 = 'kid-one-secret-0f6c1b7e2a9d4c3b8e5f';
const KEY_2 = 'kid-two-secret-7d3a9c1e5b2f8a4d6c0e';

// Names a key store might resolve as files, SQL, object members or prototype keys.
const HOSTILE_KIDS: unknown[] = [
  '../../etc/passwd',
  '/dev/null',
  '../../../../../../dev/null',
  "' OR '1'='1",
  "k1' UNION SELECT 'secret' --",
  'k1; DROP TABLE keys',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'k1\u0000',
  'K1',
  ' k1',
  'k1 ',
  '',
  'x'.repeat(300),
  1,
  0,
  true,
  null,
  ['k1'],
  { kid: 'k1' },
];

describe('security: kid injection', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair({ JWT_KEY: '', JWT_KEYS: JSON.stringify({ k1: KEY_1, k2: KEY_2 }) });
  });
  after(() => pair.close());

  const token = (kid: unknown, key: string | Buffer) =>
    forgeHs({ alg: 'HS256', typ: 'JWT', kid }, claims(pair.clock.sec(), ACCESS_TOKEN), key);

  it('kid k1 and kid k2 with their own keys pass (the controls)', async () => {
    assert.equal((await call(pair.proxy.url, bearer(token('k1', KEY_1)))).status, 200);
    assert.equal((await call(pair.proxy.url, bearer(token('k2', KEY_2)))).status, 200);
    pair.upstream.received.length = 0;
  });

  it("kid k1 with k2's key → 401 JsonWebTokenError (a kid selects exactly one key)", async () => {
    assertError(await call(pair.proxy.url, bearer(token('k1', KEY_2))), 401, 'JsonWebTokenError');
  });

  it('no kid while only named keys exist → 401 JsonWebTokenError (keys are never tried in turn)', async () => {
    const t = forgeHs({ alg: 'HS256' }, claims(pair.clock.sec(), ACCESS_TOKEN), KEY_1);
    assertError(await call(pair.proxy.url, bearer(t)), 401, 'JsonWebTokenError');
  });

  for (const kid of HOSTILE_KIDS) {
    const label = JSON.stringify(kid)?.slice(0, 40);
    it(`kid ${label}, signed with an empty key, a guessed secret, k1's key or passwd text → 401 JsonWebTokenError`, async () => {
      for (const key of [Buffer.alloc(0), 'secret', KEY_1, 'root:x:0:0:root:/root:/bin/bash\n']) {
        assertError(await call(pair.proxy.url, bearer(token(kid, key))), 401, 'JsonWebTokenError');
      }
    });
  }

  it('no rejected request reached the upstream', () => {
    assert.equal(pair.upstream.received.length, 0);
  });
});
