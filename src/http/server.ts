import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_HEADER_BYTES = 16_384;

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A plain node:http server with the slow-client limits set (no framework in the hot path). */
export function createHttpServer(handler: Handler): Server {
  const server = createServer(
    {
      headersTimeout: DEFAULT_HEADERS_TIMEOUT_MS,
      requestTimeout: DEFAULT_REQUEST_TIMEOUT_MS,
      keepAliveTimeout: DEFAULT_KEEPALIVE_TIMEOUT_MS,
      maxHeaderSize: DEFAULT_MAX_HEADER_BYTES,
    },
    handler,
  );
  // Malformed HTTP never reaches our handler; answer it with a bare 400 and close.
  server.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
