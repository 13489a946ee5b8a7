import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A real JWK Set host on 127.0.0.1:0 that counts fetches and can be told to fail. */
export interface JwksServer {
  url: string;
  /** How many times the set was requested. */
  fetches: number;
  jwks: { keys: object[] };
  /** `ok` serves the set; a number answers that status; `reset` drops the connection. */
  mode: 'ok' | 'reset' | number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: object[]): Promise<JwksServer> {
  const sockets = new Set<Socket>();
  const host: JwksServer = { url: '', fetches: 0, jwks: { keys }, mode: 'ok', close: async () => {} };
  const server: Server = createServer((req, res) => {
    host.fetches += 1;
    if (host.mode === 'reset') return req.socket.destroy();
    if (host.mode !== 'ok') {
      res.writeHead(host.mode, { 'content-type': 'text/plain' });
      return res.end('down');
    }
    const text = JSON.stringify(host.jwks);
    res.writeHead(200, {
      'content-type': 'application/jwk-set+json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  host.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return host;
}

/** Resolves once `check()` holds, polling an event that happens in the background (not a timing assertion). */
export async function eventually(check: () => boolean, what: string, limitMs = 3000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
