import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, claims, forgeHs } from '../helpers/forge.js';
import { TEST_JWT_KEY } from '../helpers/proxy.js';
import { ACCESS_TOKEN, bearer, call, startPair } from '../helpers/security.js';

const ISS = 'https://app.example.com';
type Case = [label: string, extra: Record<string, unknown>, status: number];
const CASES: Case[] = [
  ['iss and aud exact', { iss: ISS, aud: 'ig-proxy' }, 200],
  [
    'the second configured issuer, aud an array holding ours',
    { iss: 'https://other.example', aud: ['x', 'ig-proxy'] },
    200,
  ],
  ['iss missing', { aud: 'ig-proxy' }, 401],
  ['aud missing', { iss: ISS }, 401],
  ['iss as an array', { iss: [ISS], aud: 'ig-proxy' }, 401],
  ['iss as the configured comma list', { iss: `${ISS},https://other.example`, aud: 'ig-proxy' }, 401],
  ['iss with a trailing slash', { iss: `${ISS}/`, aud: 'ig-proxy' }, 401],
  ['iss in upper case', { iss: ISS.toUpperCase(), aud: 'ig-proxy' }, 401],
  ['iss as an object', { iss: { 0: ISS }, aud: 'ig-proxy' }, 401],
  ['iss null', { iss: null, aud: 'ig-proxy' }, 401],
  ['aud as an object', { iss: ISS, aud: { 0: 'ig-proxy' } }, 401],
  ['aud a superstring', { iss: ISS, aud: 'ig-proxy-staging' }, 401],
  ['aud a substring', { iss: ISS, aud: 'ig' }, 401],
  ['aud as a nested array', { iss: ISS, aud: [['ig-proxy']] }, 401],
  ['aud as a number', { iss: ISS, aud: 1 }, 401],
  ['aud an empty array', { iss: ISS, aud: [] }, 401],
];

describe('security: iss / aud exact match and type confusion', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    pair = await startPair({ JWT_ISSUER: `${ISS},https://other.example`, JWT_AUDIENCE: 'ig-proxy' });
  });
  after(() => pair.close());

  for (const [label, extra, status] of CASES) {
    it(`${label} → ${status}${status === 401 ? ' JsonWebTokenError' : ''}`, async () => {
      const before = pair.upstream.received.length;
      const jwt = forgeHs({ alg: 'HS256' }, claims(pair.clock.sec(), ACCESS_TOKEN, extra), TEST_JWT_KEY);
      const answer = await call(pair.proxy.url, bearer(jwt));
      if (status === 401) assertError(answer, 401, 'JsonWebTokenError');
      else assert.equal(answer.status, 200);
      assert.equal(pair.upstream.received.length, before + (status === 200 ? 1 : 0));
    });
  }
});
