import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfig } from '../../../src/config/validate.js';

const base = { INSTAGRAM_CLIENT_SECRET: 's', JWT_KEY: 'k' };

test('limits and timeouts have their documented defaults', () => {
  const { config } = validateConfig(base, 'production');
  assert.ok(config);
  assert.deepEqual(config.http, {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
    keepAliveTimeoutMs: 5_000,
    maxHeaderBytes: 16_384,
  });
  assert.equal(config.upstreamConnectTimeoutMs, 10_000);
  assert.equal(config.upstreamMaxConnections, 256);
  assert.equal(config.redisTimeoutMs, 500);
  assert.equal(config.rateLimitKeyPrefix, 'igproxy:rl:');
  assert.equal(config.shutdownGraceMs, 10_000);
});

test('zero limits and a headers timeout above the request timeout are refused, all at once', () => {
  const { config, problems } = validateConfig(
    {
      ...base,
      UPSTREAM_MAX_CONNECTIONS: '0',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '0',
      HTTP_HEADERS_TIMEOUT_MS: '5000',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
    },
    'production',
  );
  assert.equal(config, undefined);
  assert.deepEqual(problems.sort(), [
    'HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS',
    'HTTP_KEEP_ALIVE_TIMEOUT_MS: must be at least 1',
    'UPSTREAM_MAX_CONNECTIONS: must be at least 1',
  ]);
});

test('WORKERS takes a positive number or auto', () => {
  assert.equal(validateConfig({ ...base, WORKERS: 'auto' }, 'production').config?.workers, 'auto');
  assert.equal(validateConfig({ ...base, WORKERS: '3' }, 'production').config?.workers, 3);
  assert.deepEqual(validateConfig({ ...base, WORKERS: '0' }, 'production').problems, [
    'WORKERS: must be a positive number or auto',
  ]);
});
