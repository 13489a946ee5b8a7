/** Medians, ratios, the stdout table and the target checks. Pure: no I/O. */
import type { LoadResult } from './load.js';

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface Row {
  readonly name: string;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly cpuUsPerReq: number | undefined;
  readonly rounds: readonly LoadResult[];
}

/** The median of each figure over the rounds (each figure separately), plus the error total. */
export function summarize(name: string, rounds: readonly LoadResult[]): Row {
  return {
    name,
    rps: median(rounds.map((r) => r.rps)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    cpuUsPerReq: rounds.some((r) => r.cpuUsPerReq === undefined)
      ? undefined
      : median(rounds.map((r) => r.cpuUsPerReq as number)),
    rounds,
  };
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !(b > 0) ? undefined : a / b;
const fmt = (n: number | undefined, digits: number) =>
  n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);

export function table(rows: readonly Row[]): string {
  const direct = rows.find((r) => r.name === 'direct');
  const nginx = rows.find((r) => r.name === 'nginx');
  const head = [
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'x direct',
    'x nginx',
    'p99/nginx',
    'cpu us/req',
    'errors',
  ];
  const body = rows.map((r) => [
    r.name,
    fmt(r.rps, 0),
    fmt(r.p50Ms, 3),
    fmt(r.p99Ms, 3),
    fmt(ratio(r.rps, direct?.rps), 2),
    fmt(ratio(r.rps, nginx?.rps), 2),
    fmt(ratio(r.p99Ms, nginx?.p99Ms), 2),
    fmt(r.cpuUsPerReq, 1),
    String(r.errors),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

export interface TargetCheck {
  readonly name: string;
  readonly value: string;
  readonly pass: boolean | undefined;
}

export interface Measured {
  readonly rows: readonly Row[];
  readonly addedP50Ms: Readonly<Record<string, number>>;
  readonly rss: { baselineMb: number; peakMb: number; afterMb: number } | undefined;
  readonly workers: { n: number; one: Row; many: Row } | undefined;
  readonly pinned: boolean;
}

export const RSS_LIMIT_MB = 150;
/** "Back near baseline": within this many MB of the RSS measured before any load. */
export const RSS_NEAR_BASELINE_MB = 30;

export function checkTargets(m: Measured): TargetCheck[] {
  const secure = m.rows.find((r) => r.name === 'secure');
  const nginx = m.rows.find((r) => r.name === 'nginx');
  const rpsRatio = ratio(secure?.rps, nginx?.rps);
  const p99Ratio = ratio(secure?.p99Ms, nginx?.p99Ms);
  const added = m.addedP50Ms.secure;
  const valid = (row: Row | undefined) => row !== undefined && row.errors === 0;
  const out: TargetCheck[] = [
    {
      name: `secure >= 0.5x nginx req/s${m.pinned ? ' (one core)' : ' (UNPINNED)'}`,
      value: `${fmt(rpsRatio, 2)}x`,
      pass: rpsRatio === undefined || !valid(secure) ? undefined : rpsRatio >= 0.5,
    },
    {
      name: 'secure p99 <= 2x nginx p99',
      value: `${fmt(p99Ratio, 2)}x`,
      pass: p99Ratio === undefined || !valid(secure) ? undefined : p99Ratio <= 2,
    },
    {
      name: 'added p50 at 1 connection (secure - direct) <= 0.3 ms',
      value: `${fmt(added, 3)} ms`,
      pass: added === undefined ? undefined : added <= 0.3,
    },
  ];
  if (m.rss) {
    out.push(
      {
        name: `proxy peak RSS <= ${RSS_LIMIT_MB} MB`,
        value: `${fmt(m.rss.peakMb, 1)} MB`,
        pass: m.rss.peakMb <= RSS_LIMIT_MB,
      },
      {
        name: `RSS after load within ${RSS_NEAR_BASELINE_MB} MB of baseline`,
        value: `${fmt(m.rss.afterMb, 1)} vs ${fmt(m.rss.baselineMb, 1)} MB`,
        pass: m.rss.afterMb - m.rss.baselineMb <= RSS_NEAR_BASELINE_MB,
      },
    );
  }
  const w = m.workers;
  const wRatio = w ? ratio(w.many.rps, w.one.rps) : undefined;
  out.push({
    name: `--workers ${w?.n ?? 2} unpinned >= 1.6x one worker`,
    value: w ? `${fmt(wRatio, 2)}x` : 'not measured',
    pass: wRatio === undefined ? undefined : wRatio >= 1.6,
  });
  return out;
}

export function formatChecks(checks: readonly TargetCheck[]): string {
  const mark = (p: boolean | undefined) => (p === undefined ? 'n/a ' : p ? 'MET ' : 'MISS');
  return checks.map((c) => `  [${mark(c.pass)}] ${c.name}: ${c.value}`).join('\n');
}
