import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hmacSha256Hex,
  instagramSig,
  sigCanonicalString,
  signedEndpoint,
} from '../../../src/signing/instagram-sig.js';
import { loadVectors, signedStringOf } from '../../helpers/vectors.js';

const vectors = loadVectors('instagram-sig.json');

describe('legacy Instagram sig: known-answer vectors', () => {
  it('has all 13 vectors', () => assert.equal(vectors.length, 13));
  for (const v of vectors) {
    it(`${v.name}: canonical string`, () => {
      assert.equal(sigCanonicalString(signedEndpoint(v.endpoint), v.params), signedStringOf(v));
    });
    it(`${v.name}: MAC of the canonical string`, () => {
      assert.equal(hmacSha256Hex(v.secret, signedStringOf(v)), v.expected);
    });
    it(`${v.name}: sig end to end`, () => {
      assert.equal(instagramSig(v.secret, v.endpoint, v.params), v.expected);
    });
  }
});

describe('signedEndpoint', () => {
  it('removes only one leading /v1 segment and keeps the rest as sent', () => {
    assert.equal(signedEndpoint('/v1/users/self/'), '/users/self/');
    assert.equal(signedEndpoint('/v1/v1/x'), '/v1/x');
    assert.equal(signedEndpoint('/v10/users'), '/v10/users');
    assert.equal(signedEndpoint('/users/self.json'), '/users/self.json');
    assert.equal(signedEndpoint('/tags/caf%C3%A9/media/recent'), '/tags/café/media/recent');
  });
  it('a client sig is not signed', () => {
    assert.equal(sigCanonicalString('/x', { sig: 'abc', a: '1' }), '/x|a=1');
  });
  it('sorts by code unit, not locale', () => {
    assert.equal(sigCanonicalString('/x', { b: '1', B: '2', a: '3', _: '4' }), '/x|B=2|_=4|a=3|b=1');
  });
});
