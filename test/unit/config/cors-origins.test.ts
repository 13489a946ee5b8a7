import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../../src/config/index.js';

const base = { INSTAGRAM_CLIENT_SECRET: 's', JWT_KEY: 'k' };
const origins = (value: string) =>
  resolveConfig({ env: { ...base, CORS_ORIGINS: value }, configFile: false });

describe('CORS_ORIGINS', () => {
  it('is empty by default: no origin gets CORS headers', () => {
    assert.deepEqual(resolveConfig({ env: base, configFile: false }).config?.corsOrigins, []);
  });
  it('keeps exact origins, normalised the way a browser sends Origin', () => {
    const { config } = origins('https://app.example.com, http://127.0.0.1:8080,https://App.Example.org:443/');
    assert.deepEqual(config?.corsOrigins, [
      'https://app.example.com',
      'http://127.0.0.1:8080',
      'https://app.example.org',
    ]);
  });
  for (const bad of [
    '*',
    'https://*.example.com',
    'null',
    'app.example.com',
    'ftp://x.example',
    'https://a.example/path',
    'https://a.example?x',
    'https://user@a.example',
  ]) {
    it(`refuses ${JSON.stringify(bad)}, naming the key`, () => {
      const { config, problems } = origins(`https://ok.example, ${bad}`);
      assert.equal(config, undefined);
      assert.equal(problems.length, 1);
      assert.match(problems[0] as string, /^CORS_ORIGINS: /);
    });
  }
  it('says why a wildcard is refused', () => {
    assert.match(origins('*').problems[0] as string, /wildcards are not allowed/);
  });
});
