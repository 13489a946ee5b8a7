import cluster from 'node:cluster';
import { createApp, type AppDeps } from '../app.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { waitForShutdownSignal } from './signals.js';

/**
 * One serving process (the only one, or a cluster worker): listen, wait for SIGTERM/SIGINT, then
 * drain for up to SHUTDOWN_GRACE_MS and release everything. Resolves with the exit code.
 */
export async function serveUntilSignal(config: Config, logger: Logger, deps: AppDeps = {}): Promise<number> {
  const signals = waitForShutdownSignal(cluster.isWorker);
  const app = createApp(config, { logger, ...deps });
  try {
    const address = await app.listen().catch(async (err: unknown) => {
      await app.close(0);
      throw err;
    });
    logger.info(
      {
        address: `${address.address}:${address.port}`,
        providers: [...app.providers.keys()],
        openProxy: config.openProxy,
        metrics: app.metricsServer ? `${config.host}:${config.metricsPort}/metrics` : 'same port, /metrics',
      },
      'ig-proxy listening',
    );
    const signal = await signals.received;
    const started = Date.now();
    const closing = app.close(config.shutdownGraceMs); // the listener is closed when this returns
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: draining requests');
    await closing;
    logger.info({ durationMs: Date.now() - started }, 'shut down');
    return 0;
  } finally {
    signals.dispose();
    if (cluster.isWorker && process.connected) process.disconnect();
  }
}
