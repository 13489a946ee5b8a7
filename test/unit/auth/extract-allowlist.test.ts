import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkAccessToken } from '../../../src/auth/allowlist.js';
import { extractJwt } from '../../../src/auth/extract.js';

const none = new Map<string, string>();
const raw = (...pairs: string[]) => pairs;

describe('extractJwt', () => {
  it('finds one JWT in each place', () => {
    assert.equal(extractJwt(raw('Authorization', 'Bearer a.b.c'), none, undefined), 'a.b.c');
    assert.equal(extractJwt(raw('X-Authorization', 'bearer  a.b.c '), none, undefined), 'a.b.c');
    assert.equal(extractJwt([], new Map([['jwt', 'a.b.c']]), undefined), 'a.b.c');
    assert.equal(extractJwt([], none, new Map([['jwt', 'a.b.c']])), 'a.b.c');
  });
  it('the same token in two places is one token', () => {
    assert.equal(
      extractJwt(raw('Authorization', 'Bearer a.b.c'), new Map([['jwt', 'a.b.c']]), undefined),
      'a.b.c',
    );
  });
  it('ambiguity is BadRequest', () => {
    assert.throws(
      () => extractJwt(raw('Authorization', 'Bearer a', 'authorization', 'Bearer a'), none, undefined),
      { code: 'BadRequest' },
    );
    assert.throws(() => extractJwt(raw('Authorization', 'Bearer a'), new Map([['jwt', 'b']]), undefined), {
      code: 'BadRequest',
    });
    assert.throws(
      () => extractJwt(raw('Authorization', 'Bearer a', 'X-Authorization', 'Bearer b'), none, undefined),
      { code: 'BadRequest' },
    );
  });
  it('malformed Bearer is BadRequest; other schemes are not a JWT', () => {
    for (const v of ['Bearer', 'Bearer ', 'Bearer\ta.b.c', 'Bearer a b', 'Bearer a,b']) {
      assert.throws(() => extractJwt(raw('Authorization', v), none, undefined), { code: 'BadRequest' }, v);
    }
    assert.throws(() => extractJwt(raw('Authorization', 'Basic dXNlcjpwYXNz'), none, undefined), {
      code: 'NoJWT',
    });
  });
  it('no JWT is NoJWT; an oversized one is JsonWebTokenError', () => {
    assert.throws(() => extractJwt([], none, undefined), { code: 'NoJWT' });
    assert.throws(() => extractJwt([], new Map([['jwt', 'a'.repeat(9000)]]), undefined), {
      code: 'JsonWebTokenError',
    });
  });
});

describe('checkAccessToken', () => {
  const sha = (t: string) => `sha256:${createHash('sha256').update(t).digest('hex')}`;
  it('exact membership, clear or sha256-hashed entries', () => {
    assert.doesNotThrow(() => checkAccessToken(['x', 'tok'], 'tok'));
    assert.doesNotThrow(() => checkAccessToken([sha('tok')], 'tok'));
    assert.doesNotThrow(() =>
      checkAccessToken([sha('tok').toUpperCase().replace('SHA256:', 'sha256:')], 'tok'),
    );
    assert.throws(() => checkAccessToken(['to', 'tokk', 'TOK'], 'tok'), { code: 'AccessTokenNotPermitted' });
    assert.throws(() => checkAccessToken([sha('other')], 'tok'), { code: 'AccessTokenNotPermitted' });
    assert.throws(() => checkAccessToken([], 'tok'), { code: 'AccessTokenNotPermitted' });
  });
  it('a missing claim is NoJWTAccessTokens; a malformed one fails closed', () => {
    assert.throws(() => checkAccessToken(undefined, 'tok'), { code: 'NoJWTAccessTokens' });
    for (const claim of ['tok', { tok: true }, [['tok']], [1], null, [null]]) {
      assert.throws(
        () => checkAccessToken(claim, 'tok'),
        { code: 'JsonWebTokenError' },
        JSON.stringify(claim),
      );
    }
  });
});
