import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceivedRequest } from './instagram.js';

/** Appends exactly what a mock received (bounded to the last `keep`), for tests to assert on. */
export function recordRequest(
  received: ReceivedRequest[],
  keep: number,
  req: IncomingMessage,
  body: string,
): void {
  received.push({
    method: req.method ?? '',
    url: req.url ?? '',
    headers: { ...req.headers },
    rawHeaders: [...req.rawHeaders],
    body,
  });
  if (received.length > keep) received.shift();
}

/** A mock's JSON answer with an exact Content-Length. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
