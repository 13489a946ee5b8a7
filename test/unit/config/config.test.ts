import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../../src/config/index.js';
import { KEYS } from '../../../src/config/schema.js';

const base = { INSTAGRAM_CLIENT_SECRET: 's', JWT_KEY: 'k' };

describe('config', () => {
  it('defaults match DESIGN.md', () => {
    const { config } = resolveConfig({ env: base, configFile: false });
    assert.ok(config);
    assert.equal(config.port, 2000);
    assert.equal(config.upstreamTimeoutMs, 30000);
    assert.equal(config.maxBodyBytes, 1048576);
    assert.deepEqual(config.jwt.algorithms, ['HS256']);
    assert.equal(config.jwt.clockToleranceSec, 15);
    assert.equal(config.jwt.requireExp, true);
    assert.equal(config.jwt.tokensClaim, 'tokens');
    assert.equal(config.providers.instagram.baseUrl, 'https://api.instagram.com/v1');
    assert.equal(config.openProxy, true);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.jwt));
  });
  it('production turns the open route off; OPEN_PROXY overrides', () => {
    assert.equal(
      resolveConfig({ env: { ...base, NODE_ENV: 'production' }, configFile: false }).config?.openProxy,
      false,
    );
    assert.equal(
      resolveConfig({ env: { ...base, NODE_ENV: 'production', OPEN_PROXY: 'true' }, configFile: false })
        .config?.openProxy,
      true,
    );
  });
  it('the open route is on only in development: any other NODE_ENV keeps it off', () => {
    for (const env of ['Production', 'PRODUCTION', 'prod', 'staging', ' production', 'test']) {
      assert.equal(
        resolveConfig({ env: { ...base, NODE_ENV: env }, configFile: false }).config?.openProxy,
        false,
        env,
      );
    }
    assert.equal(
      resolveConfig({ env: { ...base, NODE_ENV: 'development' }, configFile: false }).config?.openProxy,
      true,
    );
  });
  it('upstream URLs must be http(s) without credentials, query or fragment', () => {
    for (const url of [
      'http://user:pw@127.0.0.1/v1',
      'ftp://x/v1',
      'redis://x',
      'https://x/v1?a=1',
      'https://x/v1#f',
    ]) {
      const r = resolveConfig({ env: { ...base, INSTAGRAM_API_URL: url }, configFile: false });
      assert.equal(r.config, undefined, url);
      assert.match(r.problems.join(), /INSTAGRAM_API_URL/);
      assert.ok(!r.problems.join().includes('pw@'), 'the URL is not echoed');
    }
  });
  it('collects every problem at once, naming the key and never the value', () => {
    const r = resolveConfig({
      env: {
        JWT_KEY: 'k',
        PORT: '99999',
        JWT_CLOCK_TOLERANCE: 'soon',
        RATE_LIMIT_PER_TOKEN: 'lots',
        JWT_KEYS: '{"a": secret-text',
      },
      configFile: false,
    });
    assert.equal(r.config, undefined);
    const text = r.problems.join('\n');
    for (const key of [
      'PORT',
      'JWT_CLOCK_TOLERANCE',
      'RATE_LIMIT_PER_TOKEN',
      'JWT_KEYS',
      'INSTAGRAM_CLIENT_SECRET',
    ])
      assert.match(text, new RegExp(key));
    assert.ok(!text.includes('secret-text'));
  });
  it('file < env < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'igp-cfg-'));
    writeFileSync(
      join(dir, '.env.json'),
      JSON.stringify({ development: { ...base, PORT: 1, LOG_LEVEL: 'debug', HOST: '127.0.0.2' } }),
    );
    const r = resolveConfig({ env: { PORT: '2', HOST: '127.0.0.3' }, flags: { PORT: '3' }, cwd: dir });
    assert.equal(r.config?.port, 3);
    assert.equal(r.config?.host, '127.0.0.3');
    assert.equal(r.config?.logLevel, 'debug');
  });
  it('a broken .env.json is a problem, an unknown key a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'igp-cfg-'));
    writeFileSync(join(dir, '.env.json'), '{ nope');
    assert.match(resolveConfig({ env: base, cwd: dir }).problems.join(), /not valid JSON/);
    writeFileSync(
      join(dir, '.env.json'),
      JSON.stringify({ development: { ...base, INSTAGRAM_CLIENT_ID: 'x' } }),
    );
    const r = resolveConfig({ env: {}, cwd: dir });
    assert.ok(r.config);
    assert.match(r.warnings.join(), /INSTAGRAM_CLIENT_ID/);
  });
  it('rate specs parse to limit and window', () => {
    const { config } = resolveConfig({
      env: { ...base, RATE_LIMIT_PER_SUBJECT: '120/1m', RATE_LIMIT_PER_TOKEN: '5/s' },
      configFile: false,
    });
    assert.deepEqual(config?.rateLimitPerSubject, { limit: 120, windowMs: 60000 });
    assert.deepEqual(config?.rateLimitPerToken, { limit: 5, windowMs: 1000 });
  });
  it('every configuration key is documented in the README', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    for (const key of KEYS)
      assert.ok(readme.includes(`\`${key.name}\``), `${key.name} is missing from README.md`);
  });
});
