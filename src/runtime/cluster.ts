import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { answerClusterMetrics } from './cluster-metrics.js';
import { waitForShutdownSignal } from './signals.js';

/** A worker that died on its own is replaced, unless this many died within CRASH_WINDOW_MS. */
export const MAX_CRASHES_PER_WINDOW = 5;
export const CRASH_WINDOW_MS = 60_000;
/** After SHUTDOWN_GRACE_MS plus this, workers still alive are killed (SIGKILL). */
export const WORKER_KILL_MARGIN_MS = 5_000;

export function workerCount(setting: number | 'auto'): number {
  return setting === 'auto' ? availableParallelism() : setting;
}

function exited(worker: Worker): Promise<number> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve(worker.process.exitCode ?? 1);
    worker.once('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * The cluster primary: forks `count` workers that share the listening port (node:cluster hands
 * connections out round-robin), replaces crashed ones, and on SIGTERM/SIGINT asks each worker to
 * drain and waits for all of them. It serves nothing itself. Exit code 0 when every worker did.
 */
export async function runPrimary(config: Config, logger: Logger, count: number): Promise<number> {
  const signals = waitForShutdownSignal();
  let stopping = false;
  let crashes: number[] = [];
  let gaveUp: (why: string) => void = () => {};
  const crashLoop = new Promise<string>((r) => (gaveUp = r));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    crashes = [...crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    logger.error({ workerPid: worker.process.pid, code, signal }, 'worker exited unexpectedly');
    if (crashes.length > MAX_CRASHES_PER_WINDOW) gaveUp('crash-loop');
    else cluster.fork();
  });
  answerClusterMetrics();
  for (let i = 0; i < count; i++) cluster.fork();
  logger.info({ workers: count, port: config.port }, 'ig-proxy cluster started');

  const why = await Promise.race([signals.received, crashLoop]);
  stopping = true;
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
  logger.info({ signal: why, workers: workers.length }, 'cluster shutting down');
  for (const w of workers) w.process.kill('SIGTERM');
  const killer = setTimeout(() => {
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
  }, config.shutdownGraceMs + WORKER_KILL_MARGIN_MS);
  const codes = await Promise.all(workers.map(exited));
  clearTimeout(killer);
  signals.dispose();
  return why === 'crash-loop' || codes.some((c) => c !== 0) ? 1 : 0;
}
