import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { createAuth } from './auth/create-auth.js';
import type { Clock, JwtVerifier } from './auth/verify.js';
import type { Config } from './config/types.js';
import { ProxyError } from './errors.js';
import { createContext, type RequestContext } from './http/context.js';
import { createCors } from './http/cors.js';
import { drainServer } from './http/drain.js';
import { sendError } from './http/error-response.js';
import { createHealth, type Health, type ReadinessCheck } from './http/health.js';
import { upstreamReachable } from './http/upstream-check.js';
import { createMetricsServer, sendMetrics } from './http/metrics-endpoint.js';
import { proxyRequest, type AfterAuthHook } from './http/pipeline.js';
import { matchRoute, type Route } from './http/routes.js';
import { createHttpServer } from './http/server.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { createRequestEnd } from './observability/request-end.js';
import { createProviders, PROVIDER_SECRET_KEYS } from './providers/index.js';
import type { Provider, ProviderName } from './providers/types.js';
import { createUpstreamPool, UpstreamFailure } from './proxy/forward.js';
import type { Registry } from 'prom-client';
import { rateLimiterFromConfig, type RateLimitStore } from './ratelimit/index.js';
import { PACKAGE_NAME, VERSION } from './version.js';

export interface AppDeps {
  logger?: Logger;
  clock?: Clock;
  verifier?: JwtVerifier;
  /** Upstream dispatchers by provider (default: one keep-alive undici Pool per provider origin). */
  dispatchers?: Partial<Record<ProviderName, Dispatcher>>;
  /** Replaces the configured rate limiter (tests, embedding). */
  afterAuth?: AfterAuthHook;
  /** Registry the metrics register on (default: a fresh one per app; never prom-client's global). */
  registry?: Registry;
  /** Readiness checks besides "config loaded" (e.g. Redis); more via `app.health.addCheck`. */
  readinessChecks?: readonly ReadinessCheck[];
  /** Rate-limit store to use instead of the configured one (memory, or Redis with REDIS_URL). */
  rateLimitStore?: RateLimitStore;
}

export interface App {
  readonly server: Server;
  readonly config: Config;
  readonly providers: ReadonlyMap<ProviderName, Provider>;
  readonly metrics: Metrics;
  /** Readiness checks and the shutting-down flag behind /readyz. */
  readonly health: Health;
  /** The METRICS_PORT server (listening once `listen()` resolved); undefined when metrics share the port. */
  readonly metricsServer: Server | undefined;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /**
   * Stops accepting (readiness fails, responses carry Connection: close), lets in-flight requests
   * finish for up to `graceMs` (SHUTDOWN_GRACE_MS), then cuts what is left and releases the
   * upstream pools and the rate-limit store.
   */
  close(graceMs?: number): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** The 404 for a known provider that is off; names the key to set (fixed text, never a value). */
function notConfigured(name: ProviderName): ProxyError {
  return new ProxyError(
    'NotFound',
    `The provider ${name} is not configured on this proxy (set ${PROVIDER_SECRET_KEYS[name]} to turn it on)`,
  );
}

/** Wiring only: builds the parts from config and deps and routes requests to them. */
export function createApp(config: Config, deps: AppDeps = {}): App {
  const logger = deps.logger ?? createLogger(config.logLevel);
  const clock = deps.clock ?? Date.now;
  const providers = createProviders(config);
  const pools = new Map<ProviderName, Dispatcher>();
  for (const [name, provider] of providers) {
    pools.set(
      name,
      deps.dispatchers?.[name] ??
        createUpstreamPool(provider.base.origin, {
          timeoutMs: config.upstreamTimeoutMs,
          connectTimeoutMs: config.upstreamConnectTimeoutMs,
          maxConnections: config.upstreamMaxConnections,
        }),
    );
  }
  const metrics = createMetrics(deps.registry);
  const health = createHealth(deps.readinessChecks);
  const cors = createCors(config.corsOrigins);
  const metricsServer =
    config.metricsPort === undefined ? undefined : createMetricsServer(metrics.registry, config.http);
  const requestEnded = createRequestEnd(logger, metrics);
  const auth = deps.verifier ? undefined : createAuth(config.jwt, clock, logger);
  const verifier = deps.verifier ?? (auth as NonNullable<typeof auth>).verifier;
  const limiter = deps.afterAuth
    ? undefined
    : rateLimiterFromConfig(config, logger, clock, {
        store: deps.rateLimitStore,
        onLimited: (scope) => metrics.rateLimited.inc({ scope }),
      });
  for (const [name, provider] of providers)
    health.addCheck(upstreamReachable(name, provider.base.origin, clock));
  const jwks = auth?.jwks;
  if (jwks) health.addCheck({ name: 'jwks', check: () => jwks.loaded() });
  if (limiter?.store.kind === 'redis')
    health.addCheck({ name: 'redis', check: () => limiter.store.isReady() });
  const afterAuth: AfterAuthHook | undefined =
    deps.afterAuth ?? (limiter && ((_ctx, subject, tokens) => limiter.check(subject, tokens)));
  const pipelineDeps = { config, verifier, clock, afterAuth };
  const info = {
    name: PACKAGE_NAME,
    version: VERSION,
    providers: [...providers.keys()],
    routes: { open: config.openProxy, secure: true },
  };

  async function dispatch(req: IncomingMessage, res: ServerResponse, route: Route, ctx: RequestContext) {
    switch (route.kind) {
      case 'info':
        ctx.route = 'info';
        return sendJson(res, 200, info);
      case 'healthz':
        ctx.route = 'health';
        return sendJson(res, 200, { status: 'ok' });
      case 'readyz': {
        ctx.route = 'health';
        const report = await health.readiness();
        return sendJson(res, report.status, report.body);
      }
      case 'metrics':
        ctx.route = 'metrics';
        if (metricsServer) throw new ProxyError('NotFound');
        return sendMetrics(res, metrics.registry);
      case 'proxy': {
        ctx.provider = route.provider;
        cors.apply(req, res);
        if (cors.isPreflight(req)) {
          ctx.route = 'preflight';
          ctx.outcome = 'preflight';
          if (!route.secure && !config.openProxy) throw new ProxyError('NotFound');
          return cors.preflight(req, res);
        }
        ctx.route = route.secure ? 'secure' : 'open';
        metrics.inFlight.inc(); // request-end.ts decrements for these two routes
        if (!route.secure && !config.openProxy) throw new ProxyError('NotFound');
        const provider = providers.get(route.provider);
        const pool = pools.get(route.provider);
        if (!provider || !pool) throw notConfigured(route.provider);
        return proxyRequest(pipelineDeps, req, res, { ...route, provider, pool }, ctx);
      }
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const ctx = createContext(req);
    res.setHeader('x-request-id', ctx.requestId);
    if (health.shuttingDown) res.setHeader('connection', 'close');
    res.once('close', () => requestEnded(req, res, ctx));
    let route: Route;
    try {
      route = matchRoute(req.url);
    } catch (err) {
      ctx.outcome = (err as ProxyError).code;
      sendError(res, err);
      return;
    }
    dispatch(req, res, route, ctx).catch((err: unknown) => {
      if (!(err instanceof ProxyError))
        logger.error({ reqId: ctx.requestId, err: { type: (err as Error)?.name } }, 'unexpected error');
      if (err instanceof UpstreamFailure) ctx.upstreamError = err.kind;
      ctx.outcome = err instanceof ProxyError ? err.code : 'InternalError';
      sendError(res, err);
    });
  }

  const server = createHttpServer(handle, config.http);
  // `Expect: 100-continue`: refuse a declared body over the limit before the client sends it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers['content-length']) > config.maxBodyBytes) {
      sendError(res, new ProxyError('PayloadTooLarge'));
      return;
    }
    res.writeContinue();
    handle(req, res);
  });

  return {
    server,
    config,
    providers,
    metrics,
    health,
    metricsServer,
    async listen(port = config.port, host = config.host) {
      const address = await listenOn(server, port, host);
      if (metricsServer) await listenOn(metricsServer, config.metricsPort as number, host);
      return address;
    },
    async close(graceMs = config.shutdownGraceMs) {
      health.markShuttingDown();
      const clean = server.listening ? await drainServer(server, graceMs) : true;
      if (metricsServer?.listening) await new Promise((resolve) => metricsServer.close(resolve));
      await Promise.all([
        ...[...pools.values()].map((pool) => (clean ? pool.close() : pool.destroy())),
        limiter?.store.close(),
      ]);
      await auth?.close();
    },
  };
}
