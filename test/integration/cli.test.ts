import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import jsonwebtoken from 'jsonwebtoken';
import { runCli } from '../helpers/cli.js';
import { loadVectors } from '../helpers/vectors.js';

const KEY = 'cli-test-jwt-key-0123456789abcdef';

describe('ig-proxy command line', () => {
  it('--help lists every command, and each command has --help', async () => {
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    for (const cmd of ['serve', 'mock-instagram', 'token', 'sign', 'demo']) {
      assert.match(top.stdout, new RegExp(`\\b${cmd}\\b`));
      const one = await runCli([cmd, '--help']);
      assert.equal(one.code, 0, cmd);
      assert.match(one.stdout, /Usage: ig-proxy/);
    }
  });

  it('token mints a JWT that jsonwebtoken verifies, with tokens, sub and exp', async () => {
    const r = await runCli(['token', '--tokens', 'a,b', '--expires-in', '1h', '--sub', 'user-7'], {
      JWT_KEY: KEY,
    });
    assert.equal(r.code, 0, r.stderr);
    const claims = jsonwebtoken.verify(r.stdout.trim(), KEY, {
      algorithms: ['HS256'],
    }) as jsonwebtoken.JwtPayload;
    assert.deepEqual(claims.tokens, ['a', 'b']);
    assert.equal(claims.sub, 'user-7');
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
  });

  it('token --kid signs with that JWT_KEYS secret and names it in the header', async () => {
    const keys = JSON.stringify({
      '2026-11': 'old-secret-0123456789abcdef',
      '2026-12': 'new-secret-0123456789abcdef',
    });
    const r = await runCli(['token', '--tokens', 'a', '--kid', '2026-12'], { JWT_KEYS: keys });
    assert.equal(r.code, 0, r.stderr);
    const decoded = jsonwebtoken.verify(r.stdout.trim(), 'new-secret-0123456789abcdef', {
      algorithms: ['HS256'],
      complete: true,
    });
    assert.equal(decoded.header.kid, '2026-12');
    const missing = await runCli(['token', '--tokens', 'a', '--kid', 'nope'], { JWT_KEYS: keys });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /JWT_KEYS: has no HMAC secret named "nope"/);
    assert.ok(!missing.stderr.includes('secret-0123'));
  });

  it('token without a key says which key is missing and exits 1', async () => {
    const r = await runCli(['token', '--tokens', 'a'], {}, mkdtempSync(join(tmpdir(), 'igp-')));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /JWT_KEY/);
  });

  it('sign prints the known-answer sig (Instagram docs example 2)', async () => {
    const v = loadVectors('instagram-sig.json').find((x) => x.name === 'docs-example-2-media-count');
    assert.ok(v);
    const args = ['sign', v.endpoint, ...Object.entries(v.params).map(([k, val]) => `${k}=${val}`)];
    const r = await runCli(args, { INSTAGRAM_CLIENT_SECRET: v.secret });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^sig=${v.expected}$`, 'm'));
  });

  it('sign --provider instagram-graph prints the known-answer appsecret_proof', async () => {
    const v = loadVectors('appsecret-proof.json').find((x) => x.name === 'php-sdk-foo-token');
    assert.ok(v);
    const r = await runCli(
      ['sign', '--provider', 'instagram-graph', `access_token=${v.params.access_token}`],
      { INSTAGRAM_GRAPH_APP_SECRET: v.secret },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`appsecret_proof=${v.expected}`));
  });

  describe('serve --check-config', () => {
    it('reports every problem at once, naming the keys, without printing secrets, and exits 1', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'igp-'));
      const r = await runCli(
        ['serve', '--check-config'],
        { PORT: 'abc', UPSTREAM_TIMEOUT_MS: '-5', JWT_ALGORITHMS: 'none', INSTAGRAM_API_URL: 'not a url' },
        dir,
      );
      assert.equal(r.code, 1);
      for (const key of [
        'PORT',
        'UPSTREAM_TIMEOUT_MS',
        'JWT_ALGORITHMS',
        'INSTAGRAM_API_URL',
        'INSTAGRAM_CLIENT_SECRET',
        'JWT_KEY',
      ]) {
        assert.match(r.stderr, new RegExp(key), `names ${key}`);
      }
    });
    it('shows CORS origins (normalised) and where metrics are; refuses a CORS wildcard', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'igp-'));
      const env = { INSTAGRAM_CLIENT_SECRET: 's', JWT_KEY: 'k', METRICS_PORT: '9100' };
      const ok = await runCli(
        ['serve', '--check-config'],
        { ...env, CORS_ORIGINS: 'https://App.example.com/' },
        dir,
      );
      assert.equal(ok.code, 0, ok.stderr);
      assert.deepEqual(JSON.parse(ok.stdout.slice(ok.stdout.indexOf('{'))).corsOrigins, [
        'https://app.example.com',
      ]);
      assert.match(ok.stdout, /"metrics": "port 9100"/);
      const star = await runCli(['serve', '--check-config'], { ...env, CORS_ORIGINS: '*' }, dir);
      assert.equal(star.code, 1);
      assert.match(star.stderr, /CORS_ORIGINS: .*wildcards are not allowed/);
    });
    it('reads .env.json by NODE_ENV (the seed format), env overrides file, flags override env', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'igp-'));
      writeFileSync(
        join(dir, '.env.json'),
        JSON.stringify({
          development: {
            INSTAGRAM_CLIENT_SECRET: 'file-secret-value',
            JWT_KEY: 'file-jwt-key-value',
            PORT: 2100,
          },
          production: {
            INSTAGRAM_CLIENT_SECRET: 'prod-secret-value',
            JWT_KEY: 'prod-jwt-key-value',
            PORT: 2200,
          },
        }),
      );
      const dev = await runCli(['serve', '--check-config'], {}, dir);
      assert.equal(dev.code, 0, dev.stderr);
      assert.match(dev.stdout, /"listen": "0\.0\.0\.0:2100"/);
      assert.match(dev.stdout, /"openProxy": true/);
      const prod = await runCli(['serve', '--check-config'], { NODE_ENV: 'production', PORT: '2300' }, dir);
      assert.match(prod.stdout, /"listen": "0\.0\.0\.0:2300"/);
      assert.match(prod.stdout, /"openProxy": false/);
      const flag = await runCli(
        ['serve', '--check-config', '--port', '2400'],
        { NODE_ENV: 'production', PORT: '2300' },
        dir,
      );
      assert.match(flag.stdout, /"listen": "0\.0\.0\.0:2400"/);
      for (const out of [dev, prod, flag]) {
        for (const secret of [
          'file-secret-value',
          'file-jwt-key-value',
          'prod-secret-value',
          'prod-jwt-key-value',
        ]) {
          assert.ok(
            !out.stdout.includes(secret) && !out.stderr.includes(secret),
            'secrets are never printed',
          );
        }
      }
    });
    it('takes a secret from <KEY>_FILE, and refuses it given twice', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'igp-'));
      writeFileSync(join(dir, 'secret.txt'), 'from-a-file\n');
      const ok = await runCli(
        ['serve', '--check-config'],
        { INSTAGRAM_CLIENT_SECRET_FILE: join(dir, 'secret.txt'), JWT_KEY: 'k'.repeat(32) },
        dir,
      );
      assert.equal(ok.code, 0, ok.stderr);
      const twice = await runCli(
        ['serve', '--check-config'],
        {
          INSTAGRAM_CLIENT_SECRET_FILE: join(dir, 'secret.txt'),
          INSTAGRAM_CLIENT_SECRET: 'x',
          JWT_KEY: 'k'.repeat(32),
        },
        dir,
      );
      assert.equal(twice.code, 1);
      assert.match(twice.stderr, /INSTAGRAM_CLIENT_SECRET/);
    });
    it('an unknown flag is a usage error (exit 2)', async () => {
      const r = await runCli(['serve', '--prot', '3000']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown option --prot/);
    });
  });

  it('demo --self-test starts mock + proxy, calls the secure route and gets /users/self', async () => {
    const r = await runCli(['demo', '--self-test', '--port', '0'], {}, undefined, 30_000);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /JWT=ey[\w-]+\.[\w-]+\.[\w-]+/);
    assert.match(r.stdout, /curl -s -H "Authorization: Bearer ey/);
    assert.match(r.stdout, /self-test: 200 .*"username":"demo_user"/);
  });
});

describe('the README demo, as a newcomer runs it', () => {
  it('the printed curl line returns /users/self through the secure route, and Ctrl-C stops it', async () => {
    const { spawn, execFile } = await import('node:child_process');
    const { MAIN } = await import('../helpers/cli.js');
    const child = spawn(process.execPath, [MAIN, 'demo', '--port', '0', '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`demo printed no curl line: ${out}`)), 20_000);
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('Press Ctrl-C')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const line = out.split('\n').find((l) => l.trim().startsWith('curl -s -H "Authorization'));
      assert.ok(line, out);
      const m = /-H "([^"]+)" "([^"]+)"/.exec(line);
      assert.ok(m);
      const body = await new Promise<string>((resolve, reject) =>
        execFile('curl', ['-s', '-H', m[1] as string, m[2] as string], (err, stdout) =>
          err ? reject(err) : resolve(stdout),
        ),
      );
      const json = JSON.parse(body);
      assert.equal(json.meta.code, 200);
      assert.equal(json.data.username, 'demo_user');
    } finally {
      const exited = new Promise((r) => child.once('close', r));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    }
  });
});
