import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mockExpectedSig } from '../../../src/mock/instagram.js';
import { loadVectors } from '../../helpers/vectors.js';

describe('the mock Instagram checks sig exactly as the known-answer vectors say', () => {
  for (const v of loadVectors('instagram-sig.json')) {
    it(v.name, () => {
      const params = Object.entries(v.params).map(([k, val]) => [k, String(val)] as [string, string]);
      // The mock sees the path percent-encoded on the wire.
      const wirePath = v.endpoint
        .split('/')
        .map((s) => encodeURIComponent(decodeURIComponent(s)))
        .join('/');
      assert.equal(mockExpectedSig(v.secret, wirePath, params), v.expected);
    });
  }
});
