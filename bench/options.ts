/** Command-line options of `npm run bench` (node:util parseArgs; no framework). */
import { parseArgs } from 'node:util';

export const TARGETS = ['direct', 'nginx', 'open', 'secure'] as const;
export type TargetName = (typeof TARGETS)[number];

export interface BenchOptions {
  readonly durationSec: number;
  readonly warmupSec: number;
  readonly connections: number;
  readonly routes: readonly TargetName[];
  readonly rounds: number;
  /** Worker count of the extra unpinned comparison (1 or less: skipped). */
  readonly workers: number;
  readonly tool: string | undefined;
  readonly pin: boolean;
  readonly nginx: boolean;
  readonly logLevel: string;
  readonly jwtCache: boolean;
  readonly profile: boolean;
  /** Extra node flags for the proxy process (e.g. `--max-semi-space-size=2`). */
  readonly nodeFlags: readonly string[];
  readonly json: string | undefined;
  readonly help: boolean;
}

export const HELP = `npm run bench -- [options]

  --duration <s>       seconds per measurement (default 5)
  --warmup <s>         seconds of unmeasured load per target before round 1 (default 2)
  --connections <n>    concurrent connections (default 50)
  --route <list>       comma list of ${TARGETS.join(', ')} (default: all)
  --rounds <n>         interleaved rounds; medians are reported (default 3)
  --workers <n>        also compare the secure route unpinned with n workers vs 1 (default 2; 1 = skip)
  --tool wrk|autocannon  load generator (default: wrk when installed, else autocannon)
  --unpinned           do not pin with taskset
  --skip-nginx         do not run nginx even when installed
  --log-level <lvl>    the proxy's LOG_LEVEL (default warn; info = one log line per request, to /dev/null)
  --jwt-cache off      run the proxy with the verified-JWT cache disabled (experiment)
  --profile            run the proxy under node --cpu-prof (profile in bench/results/)
  --node-flags "<f>"   extra node flags for the proxy, e.g. "--max-semi-space-size=2"
  --json <path>        where to write the JSON result (default bench/results/bench-<time>.json)
`;

function positiveInt(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
}

function routes(text: string | undefined): TargetName[] {
  if (text === undefined || text === 'all') return [...TARGETS];
  const list = text.split(',').map((s) => s.trim());
  for (const r of list) {
    if (!(TARGETS as readonly string[]).includes(r)) throw new Error(`--route: unknown target ${r}`);
  }
  return TARGETS.filter((t) => list.includes(t));
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      route: { type: 'string' },
      rounds: { type: 'string' },
      workers: { type: 'string' },
      tool: { type: 'string' },
      unpinned: { type: 'boolean' },
      'skip-nginx': { type: 'boolean' },
      'log-level': { type: 'string' },
      'jwt-cache': { type: 'string' },
      profile: { type: 'boolean' },
      'node-flags': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.tool !== undefined && v.tool !== 'wrk' && v.tool !== 'autocannon')
    throw new Error('--tool must be wrk or autocannon');
  if (v['jwt-cache'] !== undefined && !['on', 'off'].includes(v['jwt-cache']))
    throw new Error('--jwt-cache must be on or off');
  return {
    durationSec: positiveInt('duration', v.duration, 5),
    warmupSec: positiveInt('warmup', v.warmup, 2, 0),
    connections: positiveInt('connections', v.connections, 50),
    routes: routes(v.route),
    rounds: positiveInt('rounds', v.rounds, 3),
    workers: positiveInt('workers', v.workers, 2),
    tool: v.tool,
    pin: !v.unpinned,
    nginx: !v['skip-nginx'],
    logLevel: v['log-level'] ?? 'warn',
    jwtCache: v['jwt-cache'] !== 'off',
    profile: v.profile === true,
    nodeFlags: (v['node-flags'] ?? '').split(' ').filter(Boolean),
    json: v.json,
    help: v.help === true,
  };
}
