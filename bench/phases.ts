/** The two measurement phases: pinned (all targets, interleaved rounds) and unpinned workers. */
import { join } from 'node:path';
import { runLoad, type LoadResult, type Tool } from './load.js';
import { nginxBinary, startNginx } from './nginx.js';
import type { BenchOptions, TargetName } from './options.js';
import {
  descendants,
  freePort,
  rssSampler,
  stop,
  treeCpuSeconds,
  treeRssMb,
  waitForHttp,
  type Pinning,
  type Started,
} from './procs.js';
import { summarize, type Row } from './report.js';
import { benchJwt, preflight, startProxy, startUpstream, targetsFor, type Target } from './stack.js';

export interface PhaseContext {
  readonly opts: BenchOptions;
  readonly tool: Tool;
  readonly pin: Pinning & { readonly note?: string };
  readonly tmp: string;
  readonly profileDir: string | undefined;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(ctx: PhaseContext, target: Target, connections: number, sec: number, threads = 1) {
  const spec = { ...target, connections, threads, durationSec: sec, cpus: ctx.pin.load };
  const pid = target.serverPid;
  const cpuBefore = pid === undefined ? 0 : treeCpuSeconds(pid);
  const r = await runLoad(ctx.tool, spec, ctx.tmp);
  if (pid === undefined || r.requests === 0) return r;
  return { ...r, cpuUsPerReq: ((treeCpuSeconds(pid) - cpuBefore) * 1e6) / r.requests };
}

function progress(ctx: PhaseContext, label: string, r: LoadResult): void {
  const err = r.errors ? `  ERRORS ${r.errors}` : '';
  const cpu = r.cpuUsPerReq === undefined ? '' : `  cpu ${r.cpuUsPerReq.toFixed(1)} us/req`;
  ctx.log(
    `  ${label.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50Ms.toFixed(3)}  p99 ${r.p99Ms.toFixed(3)} ms${cpu}${err}`,
  );
}

/** Round-robin over the targets, rotating the start each round so no target always goes first. */
async function rounds(
  ctx: PhaseContext,
  targets: ReadonlyArray<[string, Target]>,
  connections: number,
  threads = 1,
): Promise<Map<string, LoadResult[]>> {
  const results = new Map<string, LoadResult[]>(targets.map(([name]) => [name, []]));
  for (let round = 0; round < ctx.opts.rounds; round++) {
    ctx.log(`round ${round + 1}/${ctx.opts.rounds}, ${connections} connection(s)`);
    for (let i = 0; i < targets.length; i++) {
      const [name, target] = targets[(i + round) % targets.length] as [string, Target];
      const r = await measure(ctx, target, connections, ctx.opts.durationSec, threads);
      progress(ctx, name, r);
      results.get(name)?.push(r);
    }
  }
  return results;
}

async function warmUp(ctx: PhaseContext, targets: ReadonlyArray<[string, Target]>, threads = 1) {
  if (ctx.opts.warmupSec === 0) return;
  for (const [, target] of targets)
    await measure(ctx, target, ctx.opts.connections, ctx.opts.warmupSec, threads);
}

export interface PinnedResult {
  readonly rows: Row[];
  readonly oneConnection: Row[];
  readonly addedP50Ms: Record<string, number>;
  readonly rss: { baselineMb: number; peakMb: number; afterMb: number } | undefined;
  readonly nginxNote: string;
}

async function startNginxIfWanted(ctx: PhaseContext, upstreamPort: number) {
  if (!ctx.opts.routes.includes('nginx')) return { note: 'nginx: not requested (--route)' };
  if (!ctx.opts.nginx) return { note: 'nginx: skipped (--skip-nginx)' };
  const bin = nginxBinary();
  if (!bin) return { note: 'nginx: not installed, skipped (ratios to nginx are n/a)' };
  const port = await freePort();
  const proc = startNginx(bin, ctx.pin.server, join(ctx.tmp, 'nginx'), port, upstreamPort);
  await waitForHttp(`http://127.0.0.1:${port}/`, proc);
  return { proc, port, note: `nginx: ${bin}, 1 worker, plain reverse proxy, upstream keepalive 256` };
}

export async function pinnedPhase(ctx: PhaseContext): Promise<PinnedResult> {
  const { opts } = ctx;
  const upstream = await startUpstream(ctx.pin.server);
  const wantProxy = opts.routes.includes('open') || opts.routes.includes('secure');
  const proxy = wantProxy
    ? await startProxy({
        ...proxyBase(ctx, upstream.port),
        cpus: ctx.pin.server,
        workers: 1,
        profileDir: ctx.profileDir,
      })
    : undefined;
  const nginx = await startNginxIfWanted(ctx, upstream.port);
  const procs: Started[] = [proxy?.proc, nginx.proc, upstream.proc].filter(
    (p): p is Started => p !== undefined,
  );
  try {
    const all = targetsFor(
      { upstream: upstream.port, proxy: proxy?.port ?? 0, nginx: nginx.port },
      benchJwt(),
    );
    const pids = {
      direct: upstream.proc.pid,
      nginx: nginx.proc?.pid,
      open: proxy?.proc.pid,
      secure: proxy?.proc.pid,
    };
    const chosen = opts.routes.flatMap((n): Array<[TargetName, Target]> =>
      all[n] ? [[n, { ...all[n], serverPid: pids[n] }]] : [],
    );
    await preflight(Object.fromEntries(chosen));
    const baselineMb = proxy ? treeRssMb(proxy.proc.pid) : 0;
    await warmUp(ctx, chosen);
    const sampler = proxy ? rssSampler(proxy.proc.pid) : undefined;
    const main = await rounds(ctx, chosen, opts.connections);
    const single = await rounds(
      ctx,
      chosen.filter(([n]) => n !== 'nginx'),
      1,
    );
    const peakMb = sampler?.stop() ?? 0;
    await sleep(3000);
    const afterMb = proxy ? treeRssMb(proxy.proc.pid) : 0;
    const oneConnection = [...single].map(([n, r]) => summarize(n, r));
    const direct = oneConnection.find((r) => r.name === 'direct');
    const addedP50Ms = Object.fromEntries(
      oneConnection
        .filter((r) => direct && r.name !== 'direct')
        .map((r) => [r.name, r.p50Ms - (direct as Row).p50Ms]),
    );
    return {
      rows: [...main].map(([n, r]) => summarize(n, r)),
      oneConnection,
      addedP50Ms,
      rss: proxy ? { baselineMb, peakMb, afterMb } : undefined,
      nginxNote: nginx.note,
    };
  } finally {
    for (const p of procs) await stop(p);
  }
}

function proxyBase(ctx: PhaseContext, upstreamPort: number) {
  const { logLevel, jwtCache, nodeFlags } = ctx.opts;
  return { upstreamPort, logLevel, jwtCache, nodeFlags, cwd: ctx.tmp };
}

export interface WorkersResult {
  readonly n: number;
  readonly one: Row;
  readonly many: Row;
}

/** Secure route, everything unpinned: one worker vs `n` workers; undefined when serve has no workers. */
export interface WorkersPhase {
  readonly result?: WorkersResult;
  readonly note: string;
}

export async function workersPhase(ctx: PhaseContext): Promise<WorkersPhase> {
  const n = ctx.opts.workers;
  const free: PhaseContext = { ...ctx, pin: { server: undefined, load: undefined } };
  if (n < 2) return { note: 'workers: skipped (--workers 1)' };
  if (!ctx.opts.routes.includes('secure')) return { note: 'workers: skipped (secure route not selected)' };
  const upstream = await startUpstream(undefined);
  const base = { ...proxyBase(ctx, upstream.port), cpus: undefined, profileDir: undefined };
  const one = await startProxy({ ...base, workers: 1 });
  const many = await startProxy({ ...base, workers: n });
  try {
    await sleep(500);
    const kids = descendants(many.proc.pid).length;
    if (kids < n)
      return {
        note: `workers: WORKERS=${n} started ${kids} child process(es): feature not present, row skipped`,
      };
    const jwt = benchJwt();
    const targets: Array<[string, Target]> = [
      [
        'secure 1 worker',
        { ...targetsFor({ upstream: upstream.port, proxy: one.port }, jwt).secure, serverPid: one.proc.pid },
      ],
      [
        `secure ${n} workers`,
        {
          ...targetsFor({ upstream: upstream.port, proxy: many.port }, jwt).secure,
          serverPid: many.proc.pid,
        },
      ],
    ];
    await preflight(Object.fromEntries(targets));
    await warmUp(free, targets, 2);
    const res = await rounds(free, targets, ctx.opts.connections, 2);
    const rows = [...res].map(([name, r]) => summarize(name, r)) as [Row, Row];
    return {
      result: { n, one: rows[0], many: rows[1] },
      note: `workers: all unpinned, ${ctx.tool} with 2 threads, WORKERS=1 vs WORKERS=${n}`,
    };
  } finally {
    for (const p of [one.proc, many.proc, upstream.proc]) await stop(p);
  }
}
