/** Load generators, each run as its own process: wrk (preferred, C, µs latencies) or autocannon. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { hasCommand, pinned } from './procs.js';

export type Tool = 'wrk' | 'autocannon';

export interface LoadSpec {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly connections: number;
  readonly threads: number;
  readonly durationSec: number;
  readonly cpus: string | undefined;
}

export interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors plus non-2xx/3xx responses: any of them makes the row invalid. */
  readonly errors: number;
  readonly non2xx: number;
  /** CPU time of the server under test (its process tree) per request, when its pid is known. */
  readonly cpuUsPerReq?: number;
}

export function chooseTool(wanted: string | undefined): Tool {
  if (wanted === 'wrk' || wanted === 'autocannon') return wanted;
  return hasCommand('wrk') ? 'wrk' : 'autocannon';
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 500)}`)),
    );
  });
}

/** A wrk script setting the headers and printing one JSON line (latencies in µs) when done. */
function wrkScript(dir: string, headers: Readonly<Record<string, string>>): string {
  const path = join(dir, `wrk-${Object.keys(headers).length}-${Date.now()}.lua`);
  const sets = Object.entries(headers)
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join('\n');
  writeFileSync(
    path,
    `${sets}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCHJSON {"requests":%d,"durationUs":%d,"socketErrors":%d,"non2xx":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
`,
  );
  return path;
}

async function runWrk(spec: LoadSpec, tmpDir: string): Promise<LoadResult> {
  const script = wrkScript(tmpDir, spec.headers);
  const threads = Math.min(spec.threads, spec.connections);
  const args = ['-t', String(threads), '-c', String(spec.connections), '-d', `${spec.durationSec}s`];
  const [cmd, argv] = pinned(spec.cpus, 'wrk', [...args, '-s', script, spec.url]);
  const out = await run(cmd, argv);
  const line = out.split('\n').find((l) => l.startsWith('BENCHJSON '));
  if (!line) throw new Error(`wrk gave no result: ${out.slice(0, 500)}`);
  const r = JSON.parse(line.slice('BENCHJSON '.length)) as Record<string, number>;
  const requests = r.requests as number;
  return {
    requests,
    rps: requests / ((r.durationUs as number) / 1e6),
    p50Ms: (r.p50Us as number) / 1000,
    p99Ms: (r.p99Us as number) / 1000,
    errors: (r.socketErrors as number) + (r.non2xx as number),
    non2xx: r.non2xx as number,
  };
}

async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const headerArgs = Object.entries(spec.headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]);
  const args = ['-j', '-c', String(spec.connections), '-d', String(spec.durationSec), ...headerArgs];
  if (spec.threads > 1) args.push('-w', String(spec.threads));
  const [cmd, argv] = pinned(spec.cpus, process.execPath, [bin, ...args, spec.url]);
  const r = JSON.parse(await run(cmd, argv)) as {
    requests: { total: number };
    latency: { p50: number; p99: number };
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  return {
    requests: r.requests.total,
    rps: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    non2xx: r.non2xx,
  };
}

export function runLoad(tool: Tool, spec: LoadSpec, tmpDir: string): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(spec, tmpDir) : runAutocannon(spec);
}
