import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHealth } from '../../../src/http/health.js';

describe('readiness checks', () => {
  it('ready when every check passes; config is always listed', async () => {
    const health = createHealth([{ name: 'redis', check: async () => true }]);
    assert.deepEqual(await health.readiness(), {
      status: 200,
      body: { status: 'ready', checks: { config: 'ok', redis: 'ok' } },
    });
  });
  it('a check that says false, throws or hangs makes it not ready, without the error text', async () => {
    let release = () => {};
    const health = createHealth(
      [
        { name: 'no', check: () => false },
        { name: 'throws', check: () => Promise.reject(new Error('ECONNREFUSED secret-host:6379')) },
        { name: 'hangs', check: () => new Promise<boolean>((r) => (release = () => r(true))) },
      ],
      30,
    );
    const report = await health.readiness();
    release();
    assert.equal(report.status, 503);
    assert.deepEqual(report.body, {
      status: 'not_ready',
      checks: { config: 'ok', no: 'fail', throws: 'fail', hangs: 'timeout' },
    });
  });
  it('checks added later count; shutting down wins over everything', async () => {
    const health = createHealth();
    let up = true;
    health.addCheck({ name: 'store', check: () => up });
    assert.equal((await health.readiness()).status, 200);
    up = false;
    assert.equal((await health.readiness()).body.status, 'not_ready');
    up = true;
    assert.equal(health.shuttingDown, false);
    health.markShuttingDown();
    assert.equal(health.shuttingDown, true);
    assert.deepEqual(await health.readiness(), {
      status: 503,
      body: { status: 'shutting_down', checks: { config: 'ok', store: 'ok' } },
    });
  });
});
