import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Buffer;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * A plain node:http request (no fetch restrictions on headers); arrays send repeated header lines.
 * The path is sent exactly as written (no WHATWG normalisation of `..`, `%2e` or backslashes).
 */
export function send(
  url: string,
  opts: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<Reply> {
  const m = /^http:\/\/([^/:]+):(\d+)(\/.*)?$/.exec(url);
  if (!m) throw new Error(`send() takes http://host:port/path, got ${url}`);
  const target = { host: m[1], port: Number(m[2]), path: m[3] ?? '/' };
  return new Promise((resolve, reject) => {
    const options = { ...target, method: opts.method ?? 'GET', headers: opts.headers, agent: false };
    const req = httpRequest(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          body,
          json: () => JSON.parse(text),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Writes raw bytes to host:port and returns everything the server sent until it closed or went idle. */
export function sendRaw(port: number, raw: string, idleMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.setTimeout(idleMs, () => socket.end());
    socket.on('data', (d) => (out += d.toString('utf8')));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.write(raw);
  });
}

export function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}
