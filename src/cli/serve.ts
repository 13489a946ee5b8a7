import cluster from 'node:cluster';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../config/types.js';
import { createLogger } from '../observability/logger.js';
import { parseArgs, type CommandSpec } from './args.js';
import { runPrimary, workerCount } from '../runtime/cluster.js';
import { ClusterWorkerRegistry } from '../runtime/cluster-metrics.js';
import { serveUntilSignal } from '../runtime/serve-once.js';
import { CONFIG_OPTION, configForCommand, reportProblems } from './common.js';

export const spec: CommandSpec = {
  name: 'serve',
  summary: 'Run the signing proxy (the default command).',
  usage:
    'ig-proxy serve [--check-config] [--config .env.json] [--port 2000] [--workers N|auto] [--<config-key> <value> ...]',
  options: {
    'check-config': {
      type: 'boolean',
      doc: 'Validate the configuration, print a summary without secrets, exit',
    },
    config: CONFIG_OPTION,
  },
};

/** A summary safe to print: which things are set, never their values. */
export function configSummary(config: Config): Record<string, unknown> {
  return {
    nodeEnv: config.nodeEnv,
    listen: `${config.host}:${config.port}`,
    openProxy: config.openProxy,
    providers: Object.fromEntries(
      Object.entries(config.providers).map(([name, p]) => [
        name,
        p.secret ? { on: true, upstream: p.baseUrl } : { on: false },
      ]),
    ),
    jwt: {
      algorithms: config.jwt.algorithms,
      sharedKey: config.jwt.key ? 'set' : 'unset',
      keyIds: Object.keys(config.jwt.keys ?? {}),
      publicKey: config.jwt.publicKey ? 'set' : 'unset',
      jwksUrl: config.jwt.jwksUrl ?? 'unset',
      clockToleranceSec: config.jwt.clockToleranceSec,
      requireExp: config.jwt.requireExp,
      tokensClaim: config.jwt.tokensClaim,
    },
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    paging: {
      rewrite: config.rewritePaging,
      maxBytes: config.rewritePagingMaxBytes,
      publicUrl: config.publicUrl ?? 'unset (root-relative links)',
    },
    rateLimits: {
      perSubject: config.rateLimitPerSubject ?? 'off',
      perToken: config.rateLimitPerToken ?? 'off',
      store: config.redisUrl ? 'redis' : 'memory',
      failOpen: config.rateLimitFailOpen,
    },
    shutdownGraceMs: config.shutdownGraceMs,
    workers: config.workers,
    logLevel: config.logLevel,
    corsOrigins: config.corsOrigins,
    metrics: config.metricsPort === undefined ? 'main port, /metrics' : `port ${config.metricsPort}`,
  };
}

export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseArgs(argv, spec);
  const { config, problems, warnings } = configForCommand(args, env);
  for (const w of warnings) process.stderr.write(`ig-proxy: warning: ${w}\n`);
  if (!config) {
    reportProblems(problems);
    return 1;
  }
  if (args.options['check-config']) {
    process.stdout.write(`configuration OK\n${JSON.stringify(configSummary(config), null, 2)}\n`);
    return 0;
  }
  const root = createLogger(config.logLevel);
  // Every line a worker writes says which worker it was (its cluster id, 1..N).
  const logger = cluster.isWorker ? root.child({ worker: cluster.worker?.id }) : root;
  const workers = workerCount(config.workers);
  if (workers > 1 && cluster.isPrimary) return runPrimary(config, logger, workers);
  const registry = cluster.isWorker ? new ClusterWorkerRegistry() : new Registry();
  collectDefaultMetrics({ register: registry }); // process_* and nodejs_* next to igproxy_*
  return serveUntilSignal(config, logger, { registry });
}
