import { Writable } from 'node:stream';
import { createApp, type App, type AppDeps } from '../../src/app.js';
import { configFrom } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';

export const TEST_SECRET = 'test-client-secret-6dc1787668c64c93';
export const TEST_JWT_KEY = 'test-jwt-key-that-is-long-enough-0123456789';

export interface RunningProxy {
  app: App;
  url: string;
  /** Every log line the proxy wrote, raw. */
  logs: string[];
  close(): Promise<void>;
}

/** Starts a real proxy on 127.0.0.1:0 with its logs captured in memory. */
export async function startProxy(
  values: Record<string, string>,
  deps: AppDeps = {},
  nodeEnv = 'development',
): Promise<RunningProxy> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const config = configFrom(
    {
      INSTAGRAM_CLIENT_SECRET: TEST_SECRET,
      JWT_KEY: TEST_JWT_KEY,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...values,
    },
    nodeEnv,
  );
  const app = createApp(config, { logger: createLogger(config.logLevel, sink), ...deps });
  const address = await app.listen();
  return { app, url: `http://127.0.0.1:${address.port}`, logs, close: () => app.close() };
}
