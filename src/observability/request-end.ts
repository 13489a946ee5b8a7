import type { IncomingMessage, ServerResponse } from 'node:http';
import { elapsedMs, type RequestContext } from '../http/context.js';
import { flatLineLogger, type Logger } from './logger.js';
import { AUTH_FAILURE_CODES, type Metrics } from './metrics.js';

const round2 = (ms: number) => Math.round(ms * 100) / 100;

/**
 * What happens once per request when its response is done: one JSON log line and the metrics.
 * Only fields chosen here are logged — never a header, a parameter, a JWT, token, proof or secret.
 */
export function createRequestEnd(baseLogger: Logger, metrics: Metrics) {
  const logger = flatLineLogger(baseLogger);
  return function requestEnded(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    const ms = elapsedMs(ctx.startedAt);
    if (!res.writableFinished && ctx.upstreamError === undefined) ctx.outcome = 'ClientClosedRequest';
    else if (ctx.upstreamError === 'aborted') ctx.outcome = 'ClientClosedRequest';
    const provider = ctx.provider ?? '';
    if (ctx.route === 'open' || ctx.route === 'secure') metrics.inFlight.dec();
    metrics.requestEnded(ctx.route, provider, res.statusCode, ms / 1000);
    if (ctx.upstreamMs !== undefined) metrics.upstreamObserved(provider, ctx.upstreamMs / 1000);
    if (ctx.route === 'secure' && ctx.outcome !== undefined && AUTH_FAILURE_CODES.has(ctx.outcome))
      metrics.authFailed(ctx.outcome);
    if (ctx.upstreamError !== undefined && ctx.upstreamError !== 'aborted')
      metrics.upstreamFailed(provider, ctx.upstreamError);
    logger.info(
      {
        reqId: ctx.requestId,
        method: req.method,
        route: ctx.route,
        provider: ctx.provider,
        status: res.statusCode,
        durationMs: round2(ms),
        upstreamStatus: ctx.upstreamStatus,
        upstreamMs: ctx.upstreamMs === undefined ? undefined : round2(ctx.upstreamMs),
        upstreamError: ctx.upstreamError,
        outcome: ctx.outcome,
        sub: ctx.subject,
        tokenTag: ctx.tokenTag,
      },
      'request',
    );
  };
}
