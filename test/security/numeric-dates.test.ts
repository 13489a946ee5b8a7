import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, forgeHs } from '../helpers/forge.js';
import { TEST_JWT_KEY } from '../helpers/proxy.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

type Case = [label: string, claims: (now: number) => string, status: number, error?: string];

const T = JSON.stringify([ACCESS_TOKEN]);
const CASES: Case[] = [
  ['exp as a numeric string', (n) => `{"tokens":${T},"exp":"${n + 300}"}`, 401, 'JsonWebTokenError'],
  [
    'exp as an ISO date string',
    (n) => `{"tokens":${T},"exp":"${new Date((n + 300) * 1000).toISOString()}"}`,
    401,
    'JsonWebTokenError',
  ],
  ['exp null', () => `{"tokens":${T},"exp":null}`, 401, 'JsonWebTokenError'],
  ['exp as an array', (n) => `{"tokens":${T},"exp":[${n + 300}]}`, 401, 'JsonWebTokenError'],
  ['exp 1e400 (Infinity after JSON.parse)', () => `{"tokens":${T},"exp":1e400}`, 401, 'JsonWebTokenError'],
  ['exp missing', () => `{"tokens":${T}}`, 401, 'JsonWebTokenError'],
  ['exp 0', () => `{"tokens":${T},"exp":0}`, 401, 'TokenExpiredError'],
  ['exp negative', () => `{"tokens":${T},"exp":-1}`, 401, 'TokenExpiredError'],
  ['exp a float in the future', (n) => `{"tokens":${T},"exp":${n + 300}.5}`, 200],
  [
    'exp a float in the past beyond the tolerance',
    (n) => `{"tokens":${T},"exp":${n - 16}.5}`,
    401,
    'TokenExpiredError',
  ],
  ['exp 10 s ago (inside the 15 s tolerance)', (n) => `{"tokens":${T},"exp":${n - 10}}`, 200],
  [
    'exp exactly 15 s ago (the tolerance spent)',
    (n) => `{"tokens":${T},"exp":${n - 15}}`,
    401,
    'TokenExpiredError',
  ],
  ['nbf as a string', (n) => `{"tokens":${T},"exp":${n + 300},"nbf":"${n}"}`, 401, 'JsonWebTokenError'],
  ['nbf 0', (n) => `{"tokens":${T},"exp":${n + 300},"nbf":0}`, 200],
  [
    'nbf a float in the future',
    (n) => `{"tokens":${T},"exp":${n + 300},"nbf":${n + 60}.25}`,
    401,
    'NotBeforeError',
  ],
  ['nbf 10 s ahead (inside the tolerance)', (n) => `{"tokens":${T},"exp":${n + 300},"nbf":${n + 10}}`, 200],
  ['nbf 1e400', (n) => `{"tokens":${T},"exp":${n + 300},"nbf":1e400}`, 401, 'NotBeforeError'],
  ['iat as a string', (n) => `{"tokens":${T},"exp":${n + 300},"iat":"${n}"}`, 401, 'JsonWebTokenError'],
  [
    'iat in the future beyond the tolerance',
    (n) => `{"tokens":${T},"exp":${n + 300},"iat":${n + 60}}`,
    401,
    'JsonWebTokenError',
  ],
  ['iat -1e400', (n) => `{"tokens":${T},"exp":${n + 300},"iat":-1e400}`, 401, 'JsonWebTokenError'],
];

describe('security: NumericDate claims must be numbers (exp / nbf / iat as strings, floats, 0)', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair();
  });
  after(() => pair.close());

  for (const [label, claims, status, error] of CASES) {
    it(`${label} → ${status}${error ? ` ${error}` : ''}`, async () => {
      const before = pair.upstream.received.length;
      const answer = await call(
        pair.proxy.url,
        bearer(forgeHs({ alg: 'HS256' }, claims(pair.clock.sec()), TEST_JWT_KEY)),
      );
      if (error) assertError(answer, status, error);
      else assert.equal(answer.status, status);
      assert.equal(pair.upstream.received.length, before + (status === 200 ? 1 : 0));
    });
  }
});

describe('security: lifetime policy (JWT_MAX_LIFETIME, JWT_REQUIRE_EXP)', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  let lax: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair({ JWT_MAX_LIFETIME: '600' });
    lax = await startPair({ JWT_REQUIRE_EXP: 'false' });
  });
  after(async () => {
    await pair.close();
    await lax.close();
  });
  const send = (p: Awaited<ReturnType<typeof startPair>>, claims: object) =>
    call(p.proxy.url, bearer(forgeHs({ alg: 'HS256' }, { tokens: [ACCESS_TOKEN], ...claims }, TEST_JWT_KEY)));

  it('exp - iat = 600 passes, 601 → 401 JsonWebTokenError, no iat → 401 JsonWebTokenError', async () => {
    const n = pair.clock.sec();
    assert.equal((await send(pair, { iat: n, exp: n + 600 })).status, 200);
    assertError(await send(pair, { iat: n, exp: n + 601 }), 401, 'JsonWebTokenError');
    assertError(await send(pair, { exp: n + 60 }), 401, 'JsonWebTokenError');
  });

  it('JWT_REQUIRE_EXP=false accepts a token without exp, still refuses a string exp', async () => {
    assert.equal((await send(lax, {})).status, 200);
    assertError(await send(lax, { exp: String(lax.clock.sec() + 60) }), 401, 'JsonWebTokenError');
  });
});
