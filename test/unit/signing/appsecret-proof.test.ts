import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appsecretProof, proofMessage } from '../../../src/signing/appsecret-proof.js';
import { hmacSha256Hex } from '../../../src/signing/instagram-sig.js';
import { loadVectors } from '../../helpers/vectors.js';

const vectors = loadVectors('appsecret-proof.json');

function timeOf(params: Record<string, string | number>): string | undefined {
  return params.appsecret_time === undefined ? undefined : String(params.appsecret_time);
}

describe('appsecret_proof: known-answer vectors', () => {
  it('has all 5 vectors', () => assert.equal(vectors.length, 5));
  for (const v of vectors) {
    const token = String(v.params.access_token);
    it(`${v.name}: MAC of the message`, () => {
      assert.equal(hmacSha256Hex(v.secret, proofMessage(token, timeOf(v.params))), v.expected);
    });
    it(`${v.name}: proof end to end`, () => {
      assert.equal(appsecretProof(v.secret, token, timeOf(v.params)), v.expected);
    });
  }
  it('the time-stamped message is token|seconds, and the untimed proof differs', () => {
    const v = vectors.find((x) => x.name === 'appsecret-time-variant');
    assert.ok(v);
    assert.equal(proofMessage('tok', 1700000000), 'tok|1700000000');
    // The vector's note gives the untimed proof for the same token and secret.
    assert.equal(
      appsecretProof(v.secret, String(v.params.access_token)),
      '2e08bab862c5fcbf38433fef25888a6b07b39cbf441115fcec56d8389863fa99',
    );
  });
});
