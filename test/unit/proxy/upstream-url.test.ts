import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBaseUrl, upstreamPath, validateApiPath } from '../../../src/proxy/upstream-url.js';

describe('API path validation', () => {
  const ok = [
    '/',
    '/users/self',
    '/users/self/',
    '/v1/users/self.json',
    '/tags/caf%C3%A9/media/recent',
    '/media/123_456/likes',
    '/v21.0/me/media',
  ];
  const bad = [
    'users',
    '/..',
    '/a/../b',
    '/a/%2e%2E/b',
    '/a/.%2E',
    '/a/%2f',
    '/a/%2F',
    '//h',
    '/a//b',
    '/@h',
    '/a@b',
    '/a\\b',
    '/a/%5Cb',
    '/a%00',
    '/a/%0d%0a',
    '/a/%25',
    '/a/%',
    '/a/%g1',
    '/a/ b',
    '/a?b',
    '/a#b',
    '/a/.',
    `/${'a'.repeat(3000)}`,
  ];
  for (const p of ok) it(`allows ${p}`, () => assert.equal(validateApiPath(p), p));
  for (const p of bad)
    it(`rejects ${JSON.stringify(p.slice(0, 30))}`, () =>
      assert.throws(() => validateApiPath(p), { code: 'InvalidPath' }));
});

describe('upstream URL building', () => {
  it('origin and base path come from config only', () => {
    const base = parseBaseUrl('https://api.instagram.com/v1/');
    assert.deepEqual(base, { origin: 'https://api.instagram.com', basePath: '/v1' });
    assert.equal(upstreamPath(base, '/users/self', 'a=1'), '/v1/users/self?a=1');
    assert.equal(upstreamPath(base, '/users/self', ''), '/v1/users/self');
  });
});
