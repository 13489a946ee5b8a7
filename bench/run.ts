/** `npm run bench`: the load benchmark (not part of the test suite). See bench/README.md. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseTool } from './load.js';
import { HELP, parseOptions, type BenchOptions } from './options.js';
import {
  pinnedPhase,
  workersPhase,
  type PhaseContext,
  type PinnedResult,
  type WorkersPhase,
} from './phases.js';
import { choosePinning } from './procs.js';
import { checkTargets, formatChecks, table, type Row, type TargetCheck } from './report.js';
import { ROOT } from './stack.js';

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const fmtMb = (n: number) => `${n.toFixed(1)} MB`;

function latencyLines(oneConnection: readonly Row[], added: Record<string, number>): string {
  const parts = oneConnection.map((r) => {
    const plus = added[r.name];
    return `${r.name} ${r.p50Ms.toFixed(3)} ms${plus === undefined ? '' : ` (+${plus.toFixed(3)})`}`;
  });
  return `p50 at 1 connection: ${parts.join(', ')}`;
}

function setupLines(ctx: PhaseContext): string[] {
  const { opts, tool, pin, profileDir } = ctx;
  const prof = profileDir ? `, --cpu-prof -> ${profileDir}` : '';
  return [
    `node ${process.version}, ${availableParallelism()} CPUs, load average ${load()}`,
    `load generator: ${tool}${tool === 'autocannon' ? ' (latency resolution 1 ms: install wrk for sub-ms figures)' : ''}`,
    `pinning: ${pin.note}`,
    `per measurement: ${opts.durationSec}s, ${opts.connections} connections, ${opts.rounds} interleaved rounds (medians), warm-up ${opts.warmupSec}s`,
    `proxy: ig-proxy serve, LOG_LEVEL=${opts.logLevel}, verified-JWT cache ${opts.jwtCache ? 'on' : 'OFF'}${prof}`,
    `proxy node flags: ${opts.nodeFlags.length ? opts.nodeFlags.join(' ') : '(none)'}`,
  ];
}

function render(pinned: PinnedResult, workers: WorkersPhase, checks: readonly TargetCheck[]): string[] {
  const out = [pinned.nginxNote, workers.note, '', table(pinned.rows), ''];
  out.push(latencyLines(pinned.oneConnection, pinned.addedP50Ms));
  const rss = pinned.rss;
  if (rss)
    out.push(
      `proxy RSS: baseline ${fmtMb(rss.baselineMb)}, peak under load ${fmtMb(rss.peakMb)}, 3 s after ${fmtMb(rss.afterMb)}`,
    );
  if (workers.result) out.push('', table([workers.result.one, workers.result.many]));
  out.push('', `load average at end ${load()}`, 'targets:', formatChecks(checks));
  return out;
}

async function measureAll(ctx: PhaseContext, file: string): Promise<number> {
  const setup = setupLines(ctx);
  process.stdout.write(`${setup.join('\n')}\n`);
  const pinned = await pinnedPhase(ctx);
  const workers = await workersPhase(ctx);
  const checks = checkTargets({ ...pinned, workers: workers.result, pinned: ctx.pin.server !== undefined });
  const out = render(pinned, workers, checks);
  const json = {
    date: new Date().toISOString(),
    argv: process.argv.slice(2),
    setup,
    ...pinned,
    workers,
    checks,
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  out.push('', `JSON: ${file}`);
  const rows = [...pinned.rows, ...(workers.result ? [workers.result.one, workers.result.many] : [])];
  const invalid = rows.some((r) => r.errors > 0);
  if (invalid) out.push('WARNING: some rows had errors or non-2xx responses; their figures are not valid');
  process.stdout.write(`${out.join('\n')}\n`);
  return invalid ? 1 : 0;
}

async function bench(opts: BenchOptions): Promise<number> {
  const tmp = mkdtempSync(join(tmpdir(), 'ig-proxy-bench-'));
  const results = join(ROOT, 'bench/results');
  mkdirSync(results, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const ctx: PhaseContext = {
    opts,
    tool: chooseTool(opts.tool),
    pin: choosePinning(opts.pin, availableParallelism()),
    tmp,
    profileDir: opts.profile ? join(results, `profile-${stamp}`) : undefined,
    log: (line) => process.stderr.write(`${line}\n`),
  };
  try {
    return await measureAll(ctx, opts.json ?? join(results, `bench-${stamp}.json`));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseOptions(argv);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return 0;
  }
  return bench(opts);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`bench: failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
