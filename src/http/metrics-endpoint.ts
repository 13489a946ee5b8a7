import type { ServerResponse } from 'node:http';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { HttpLimits } from '../config/types.js';
import { ProxyError } from '../errors.js';
import { sendError } from './error-response.js';
import { createHttpServer } from './server.js';

/** `GET /metrics` in the Prometheus text format. */
export async function sendMetrics(res: ServerResponse, registry: Registry): Promise<void> {
  const text = await registry.metrics();
  res.writeHead(200, {
    'content-type': registry.contentType,
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The METRICS_PORT server: `/metrics` and nothing else (404 JSON), so scrapers stay off the proxy port. */
export function createMetricsServer(registry: Registry, limits: HttpLimits): Server {
  return createHttpServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      sendError(res, new ProxyError('NotFound'));
      return;
    }
    sendMetrics(res, registry).catch(() => sendError(res, new ProxyError('InternalError')));
  }, limits);
}
