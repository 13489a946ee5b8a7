import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { assertError, claims, forgeHs } from '../helpers/forge.js';
import { TEST_JWT_KEY } from '../helpers/proxy.js';
import { bearer, call, startPair } from '../helpers/security.js';

const TOKEN = '1234567';
const hex = (text: string) => createHash('sha256').update(text).digest('hex');
const path = (token = TOKEN) =>
  `/secure-proxy/instagram/users/self?access_token=${encodeURIComponent(token)}`;

type Case = [label: string, tokens: unknown, status: number, error: string | undefined];
const CASES: Case[] = [
  ['an array holding the token', [TOKEN], 200, undefined],
  ['the token among others', ['other', TOKEN, 'more'], 200, undefined],
  ['the token as a string (substring trick)', `xx${TOKEN}xx`, 401, 'JsonWebTokenError'],
  ['the token as a plain string', TOKEN, 401, 'JsonWebTokenError'],
  ['a comma list in one string', `other,${TOKEN}`, 401, 'JsonWebTokenError'],
  ['an object keyed by index', { 0: TOKEN }, 401, 'JsonWebTokenError'],
  ['an object keyed by the token', { [TOKEN]: true }, 401, 'JsonWebTokenError'],
  ['a nested array', [[TOKEN]], 401, 'JsonWebTokenError'],
  ['the token as a number', [Number(TOKEN)], 401, 'JsonWebTokenError'],
  ['a mix of string and number', ['other', Number(TOKEN)], 401, 'JsonWebTokenError'],
  ['null', null, 401, 'JsonWebTokenError'],
  ['true', true, 401, 'JsonWebTokenError'],
  ['an empty array', [], 403, 'AccessTokenNotPermitted'],
  ['a longer token containing it', [`${TOKEN}8`], 403, 'AccessTokenNotPermitted'],
  ['a prefix of it', [TOKEN.slice(0, -1)], 403, 'AccessTokenNotPermitted'],
  ['it with whitespace', [` ${TOKEN}`], 403, 'AccessTokenNotPermitted'],
  ['an empty string', [''], 403, 'AccessTokenNotPermitted'],
  ['its sha256 (lowercase hex)', [`sha256:${hex(TOKEN)}`], 200, undefined],
  ['its sha256 (uppercase hex)', [`sha256:${hex(TOKEN).toUpperCase()}`], 200, undefined],
  ['the sha256 of another token', [`sha256:${hex('other')}`], 403, 'AccessTokenNotPermitted'],
  ['sha256: followed by the token in clear', [`sha256:${TOKEN}`], 401, 'JsonWebTokenError'],
  ['a truncated sha256', [`sha256:${hex(TOKEN).slice(0, 32)}`], 401, 'JsonWebTokenError'],
  [
    'a base64 sha256',
    [`sha256:${createHash('sha256').update(TOKEN).digest('base64')}`],
    401,
    'JsonWebTokenError',
  ],
];

describe('security: the tokens claim (types, substring tricks, hashed entries)', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair();
  });
  after(() => pair.close());

  for (const [label, tokens, status, error] of CASES) {
    it(`tokens = ${label} → ${status}${error ? ` ${error}` : ''}`, async () => {
      const before = pair.upstream.received.length;
      const jwt = forgeHs({ alg: 'HS256' }, claims(pair.clock.sec(), TOKEN, { tokens }), TEST_JWT_KEY);
      const answer = await call(pair.proxy.url, bearer(jwt), path());
      if (error) assertError(answer, status, error);
      else assert.equal(answer.status, status);
      assert.equal(pair.upstream.received.length, before + (status === 200 ? 1 : 0));
    });
  }

  it('no tokens claim → 401 NoJWTAccessTokens; an empty access_token → 401 NoAccessToken', async () => {
    const n = pair.clock.sec();
    const noClaim = forgeHs({ alg: 'HS256' }, { iat: n, exp: n + 60 }, TEST_JWT_KEY);
    assertError(await call(pair.proxy.url, bearer(noClaim), path()), 401, 'NoJWTAccessTokens');
    const withEmpty = forgeHs({ alg: 'HS256' }, claims(n, ''), TEST_JWT_KEY);
    assertError(await call(pair.proxy.url, bearer(withEmpty), path('')), 401, 'NoAccessToken');
  });
});

describe('security: JWT_TOKENS_CLAIM names the claim; other claims do not count', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair({ JWT_TOKENS_CLAIM: 'ig_tokens' });
  });
  after(() => pair.close());

  it('ig_tokens permits, a tokens claim is ignored (401 NoJWTAccessTokens)', async () => {
    const n = pair.clock.sec();
    const good = forgeHs(
      { alg: 'HS256' },
      { iat: n, exp: n + 60, ig_tokens: [`sha256:${hex(TOKEN)}`] },
      TEST_JWT_KEY,
    );
    assert.equal((await call(pair.proxy.url, bearer(good), path())).status, 200);
    const other = forgeHs({ alg: 'HS256' }, { iat: n, exp: n + 60, tokens: [TOKEN] }, TEST_JWT_KEY);
    assertError(await call(pair.proxy.url, bearer(other), path()), 401, 'NoJWTAccessTokens');
  });
});

describe('security: a claim name that is an Object.prototype member', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair({ JWT_TOKENS_CLAIM: 'constructor' });
  });
  after(() => pair.close());

  it('without that claim → 401 NoJWTAccessTokens, not an inherited value', async () => {
    const n = pair.clock.sec();
    const jwt = forgeHs({ alg: 'HS256' }, { iat: n, exp: n + 60 }, TEST_JWT_KEY);
    assertError(await call(pair.proxy.url, bearer(jwt), path()), 401, 'NoJWTAccessTokens');
  });
});
