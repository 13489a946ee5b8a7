import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_JWT_KEY, TEST_SECRET } from './proxy.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

/** A real `ig-proxy serve` process (dist/src/main.js) with its JSON log lines collected. */
export interface SpawnedProxy {
  child: ChildProcess;
  port: number;
  url: string;
  /** Parsed JSON log lines from stdout, in order. */
  lines: Record<string, unknown>[];
  stderr: string[];
  /** Resolves once a log line matches (or rejects when the process exits first). */
  waitForLine(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** SIGKILLs the process if it is still running and removes its working directory. */
  kill(): Promise<void>;
}

/**
 * Spawns `node dist/src/main.js serve <args>` in an empty temporary directory (no .env.json), with
 * only the given environment plus test secrets, and waits until `readyLines` "ig-proxy listening"
 * lines (one per worker) were logged.
 */
export async function spawnProxy(
  env: Record<string, string>,
  args: string[] = [],
  readyLines = 1,
): Promise<SpawnedProxy> {
  const cwd = mkdtempSync(join(tmpdir(), 'igproxy-test-'));
  const child = spawn(process.execPath, [MAIN, 'serve', ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      INSTAGRAM_CLIENT_SECRET: TEST_SECRET,
      JWT_KEY: TEST_JWT_KEY,
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const waiters: Array<{
    match: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }> = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const waitForLine = (match: (l: Record<string, unknown>) => boolean) => {
    const found = lines.find(match);
    if (found) return Promise.resolve(found);
    return Promise.race([
      new Promise<Record<string, unknown>>((resolve) => waiters.push({ match, resolve })),
      exited.then((code) => {
        throw new Error(`proxy exited (${code}) before the expected log line; stderr: ${stderr.join('')}`);
      }),
    ]);
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(cwd, { recursive: true, force: true });
  };
  try {
    let listening = 0;
    const first = await waitForLine((l) => l.msg === 'ig-proxy listening' && ++listening >= readyLines);
    const port = Number(String(first.address).split(':').pop());
    return { child, port, url: `http://127.0.0.1:${port}`, lines, stderr, waitForLine, exited, kill };
  } catch (err) {
    await kill();
    throw err;
  }
}
