import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mockExpectedProof } from '../../../src/mock/graph.js';
import { loadVectors } from '../../helpers/vectors.js';

describe('the Graph mock checks appsecret_proof exactly as the known-answer vectors say', () => {
  for (const v of loadVectors('appsecret-proof.json')) {
    it(v.name, () => {
      const time = v.params.appsecret_time === undefined ? undefined : String(v.params.appsecret_time);
      assert.equal(mockExpectedProof(v.secret, String(v.params.access_token), time), v.expected);
    });
  }
});
