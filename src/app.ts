import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { createJwtVerifier, type Clock, type JwtVerifier } from './auth/verify.js';
import type { Config } from './config/types.js';
import { ProxyError } from './errors.js';
import { createContext, elapsedMs, type RequestContext } from './http/context.js';
import { sendError } from './http/error-response.js';
import { proxyRequest, type AfterAuthHook } from './http/pipeline.js';
import { matchRoute, type Route } from './http/routes.js';
import { createHttpServer } from './http/server.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createProviders } from './providers/index.js';
import type { Provider, ProviderName } from './providers/types.js';
import { createUpstreamPool } from './proxy/forward.js';
import { PACKAGE_NAME, VERSION } from './version.js';

export interface AppDeps {
  logger?: Logger;
  clock?: Clock;
  verifier?: JwtVerifier;
  /** Upstream dispatchers by provider (default: one keep-alive undici Pool per provider origin). */
  dispatchers?: Partial<Record<ProviderName, Dispatcher>>;
  afterAuth?: AfterAuthHook;
}

export interface App {
  readonly server: Server;
  readonly config: Config;
  readonly providers: ReadonlyMap<ProviderName, Provider>;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish, then releases upstream pools. */
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
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
      deps.dispatchers?.[name] ?? createUpstreamPool(provider.base.origin, config.upstreamTimeoutMs),
    );
  }
  const verifier = deps.verifier ?? createJwtVerifier(config.jwt, clock);
  const pipelineDeps = { config, verifier, clock, afterAuth: deps.afterAuth };
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
      case 'readyz':
        ctx.route = 'health';
        return sendJson(res, 200, { status: 'ok' });
      case 'metrics':
        throw new ProxyError('NotFound');
      case 'proxy': {
        ctx.route = route.secure ? 'secure' : 'open';
        ctx.provider = route.provider;
        if (!route.secure && !config.openProxy) throw new ProxyError('NotFound');
        const provider = providers.get(route.provider);
        const pool = pools.get(route.provider);
        if (!provider || !pool) throw new ProxyError('NotFound', 'This provider is not configured');
        return proxyRequest(pipelineDeps, req, res, { ...route, provider, pool }, ctx);
      }
    }
  }

  function logRequest(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    logger.info(
      {
        reqId: ctx.requestId,
        method: req.method,
        route: ctx.route,
        provider: ctx.provider,
        status: res.statusCode,
        durationMs: Math.round(elapsedMs(ctx.startedAt) * 100) / 100,
        upstreamStatus: ctx.upstreamStatus,
        upstreamMs: ctx.upstreamMs === undefined ? undefined : Math.round(ctx.upstreamMs * 100) / 100,
        outcome: ctx.outcome,
        sub: ctx.subject,
        tokenTag: ctx.tokenTag,
      },
      'request',
    );
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const ctx = createContext(req);
    res.setHeader('x-request-id', ctx.requestId);
    res.once('close', () => logRequest(req, res, ctx));
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
      ctx.outcome = err instanceof ProxyError ? err.code : 'InternalError';
      sendError(res, err);
    });
  }

  const server = createHttpServer(handle);

  return {
    server,
    config,
    providers,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}
