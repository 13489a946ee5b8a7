import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAIN, runCli } from '../helpers/cli.js';
import { loadVectors } from '../helpers/vectors.js';

const V = loadVectors('appsecret-proof.json').find((v) => v.name === 'php-sdk-foo-token');
const cwd = mkdtempSync(join(tmpdir(), 'igproxy-graph-cli-')); // no .env.json here

describe('ig-proxy mock-instagram --flavor graph', () => {
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it('refuses to start without a Graph app secret, naming the key', async () => {
    const r = await runCli(['mock-instagram', '--flavor', 'graph', '--listen-port', '0'], {}, cwd);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /INSTAGRAM_GRAPH_APP_SECRET/);
  });

  it('rejects an unknown flavour', async () => {
    const r = await runCli(['mock-instagram', '--flavor', 'nope'], { INSTAGRAM_CLIENT_SECRET: 's' }, cwd);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--flavor is legacy or graph/);
  });

  it('serves /me when the proof is right (vector), 400 GraphMethodException when it is missing', async () => {
    assert.ok(V);
    const child = spawn(
      process.execPath,
      [MAIN, 'mock-instagram', '--flavor', 'graph', '--listen-port', '0'],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', INSTAGRAM_GRAPH_APP_SECRET: V.secret },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 15_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /INSTAGRAM_GRAPH_API_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1] as string);
          }
        });
      });
      const ok = await fetch(
        `${url}/v21.0/me?access_token=${String(V.params.access_token)}&appsecret_proof=${V.expected}`,
      );
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as { username: string }).username, 'demo_user');
      const missing = await fetch(`${url}/me?access_token=${String(V.params.access_token)}`);
      assert.equal(missing.status, 400);
      assert.equal(
        ((await missing.json()) as { error: { type: string } }).error.type,
        'GraphMethodException',
      );
    } finally {
      const exited = new Promise((r) => child.once('close', r));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});
