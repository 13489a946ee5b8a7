import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpLimits } from '../config/types.js';
import type { ErrorCode } from '../errors.js';
import { errorSpec } from './error-response.js';

/** How often node:http looks for connections past their headers/request timeout (its default is 30 s). */
export const MAX_TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** The JSON answer for a request node:http rejected before our handler saw it (then the socket closes). */
export function clientErrorResponse(code: unknown): string {
  const error: ErrorCode =
    code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'RequestTimeout'
      : code === 'HPE_HEADER_OVERFLOW'
        ? 'RequestHeadersTooLarge'
        : 'BadRequest';
  const { status, message } = errorSpec(error);
  const body = JSON.stringify({ error, message });
  return (
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\nConnection: close\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** A plain node:http server with the slow-client limits set (no framework in the hot path). */
export function createHttpServer(handler: Handler, limits: HttpLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: Math.min(
        MAX_TIMEOUT_CHECK_INTERVAL_MS,
        Math.max(10, Math.floor(limits.headersTimeoutMs / 4)),
      ),
    },
    handler,
  );
  // Malformed, oversized or too-slow HTTP never reaches our handler: a JSON status, then close.
  // (Like node's default handler, never write into a response that is already on its way.)
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const busy = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (socket.writable && !busy) socket.end(clientErrorResponse(err.code));
    else socket.destroy();
  });
  return server;
}
