/**
 * Summarises a V8 `.cpuprofile` (from `npm run bench -- --profile`): self time by function and by area
 * (our src/ files, undici, pino, jose, node internals, GC). Usage: node dist/bench/profile-summary.js FILE [N]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function area(url: string, fn: string): string {
  if (fn === '(idle)' || fn === '(program)' || fn === '(garbage collector)') return fn;
  const src = /\/dist\/(src\/[^:]+)\.js/.exec(url);
  if (src) return src[1] as string;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return url.replace(/^node:internal\//, 'node:');
  return url === '' ? '(native)' : url;
}

function selfTimes(p: Profile): Map<number, number> {
  const byNode = new Map<number, number>();
  p.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  return byNode;
}

function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`,
    );
}

export function summarise(p: Profile, n = 25): string {
  const nodes = new Map(p.nodes.map((node) => [node.id, node]));
  const byFn = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfTimes(p)) {
    const { functionName, url, lineNumber } = (nodes.get(id) as ProfileNode).callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const fn = `${functionName || '(anonymous)'} ${area(url, functionName)}:${lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    const a = area(url, functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
  }
  return [
    `busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`,
    '',
    'self time by area:',
    ...top(byArea, total, n),
    '',
    'self time by function:',
    ...top(byFn, total, n),
  ].join('\n');
}

const [file, count] = process.argv.slice(2);
if (file)
  process.stdout.write(
    `${summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(count ?? 25))}\n`,
  );
else process.stderr.write('usage: node dist/bench/profile-summary.js FILE.cpuprofile [N]\n');
