/** Child processes for the benchmark: spawning (optionally pinned with taskset), readiness, RSS, stop. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Which CPUs each side runs on; `undefined` means unpinned. */
export interface Pinning {
  readonly server: string | undefined;
  readonly load: string | undefined;
}

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Proxy+upstream on CPU 0, load generator on CPU 1, when taskset exists and there are ≥ 2 CPUs. */
export function choosePinning(wanted: boolean, cpuCount: number): Pinning & { note: string } {
  if (!wanted) return { server: undefined, load: undefined, note: 'unpinned (--no-pin)' };
  if (!hasCommand('taskset')) return { server: undefined, load: undefined, note: 'unpinned (no taskset)' };
  if (cpuCount < 2) return { server: undefined, load: undefined, note: 'unpinned (fewer than 2 CPUs)' };
  return {
    server: '0',
    load: '1',
    note: 'taskset: upstream, proxy and nginx on CPU 0; load generator on CPU 1',
  };
}

/** The command line, prefixed with `taskset -c <cpus>` when pinned (taskset execs, so the pid is kept). */
export function pinned(cpus: string | undefined, cmd: string, args: readonly string[]): [string, string[]] {
  return cpus === undefined ? [cmd, [...args]] : ['taskset', ['-c', cpus, cmd, ...args]];
}

export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  stderr(): string;
}

export function start(
  cpus: string | undefined,
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; stdout?: 'pipe' | 'ignore' } = {},
): Started {
  const [file, argv] = pinned(cpus, cmd, args);
  const stdio = ['ignore', opts.stdout ?? 'pipe', 'pipe'] as const;
  const child = spawn(file, argv, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: [...stdio] });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (err.length < 20_000) err += chunk.toString();
  });
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  return { child, pid: child.pid, stderr: () => err };
}

/** Resolves with the first stdout line that parses as JSON (how bench/upstream.js reports its port). */
export function firstJsonLine<T>(started: Started, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no output; stderr: ${started.stderr()}`)), timeoutMs);
    started.child.stdout?.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const nl = buf.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buf.slice(0, nl)) as T);
      } catch (e) {
        reject(e as Error);
      }
    });
    started.child.once('exit', (code) => reject(new Error(`exited ${code}; stderr: ${started.stderr()}`)));
  });
}

/** A free loopback port (tiny race between closing it and the child binding it; fine for a bench). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers (any status) or the time runs out. */
export async function waitForHttp(url: string, started: Started, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (started.child.exitCode !== null) throw new Error(`exited early; stderr: ${started.stderr()}`);
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > until) throw new Error(`${url} did not answer; stderr: ${started.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function descendants(pid: number): number[] {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return kids.map(Number).flatMap((k) => [k, ...descendants(k)]);
  } catch {
    return [];
  }
}

function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident set size of a process and all its descendants (cluster workers), in MB. */
export function treeRssMb(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, p) => sum + statusKb(p, 'VmRSS'), 0) / 1024;
}

/** Samples treeRssMb every `everyMs` and remembers the peak. */
export function rssSampler(pid: number, everyMs = 200): { stop(): number } {
  let peak = treeRssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMb(pid));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRssMb(pid));
    },
  };
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stop(started: Started, graceMs = 3_000): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** USER_HZ on Linux (fixed at 100 for the /proc ABI on every mainstream architecture). */
const CLOCK_TICKS_PER_S = 100;

/** CPU seconds (user + system) used so far by a process and its descendants, from /proc. */
export function treeCpuSeconds(pid: number): number {
  const ticks = [pid, ...descendants(pid)].reduce((sum, p) => {
    try {
      // Fields after the `(comm)`: state is 3rd, utime 14th, stime 15th of the whole line.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return sum + Number(f[11]) + Number(f[12]);
    } catch {
      return sum;
    }
  }, 0);
  return ticks / CLOCK_TICKS_PER_S;
}
