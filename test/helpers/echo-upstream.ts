import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: Buffer;
}

export type Behaviour =
  | 'echo'
  | 'hang'
  | 'reset'
  | ((req: IncomingMessage, res: import('node:http').ServerResponse, body: Buffer) => void);

/** A real upstream on 127.0.0.1:0 that records exactly what it received and echoes it back as JSON. */
export interface EchoUpstream {
  url: string;
  received: Received[];
  behaviour: Behaviour;
  close(): Promise<void>;
}

export async function startEchoUpstream(behaviour: Behaviour = 'echo'): Promise<EchoUpstream> {
  const sockets = new Set<Socket>();
  const upstream: EchoUpstream = { url: '', received: [], behaviour, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      upstream.received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: { ...req.headers },
        rawHeaders: [...req.rawHeaders],
        body,
      });
      const b = upstream.behaviour;
      if (b === 'hang') return;
      if (b === 'reset') return req.socket.destroy();
      if (typeof b === 'function') return b(req, res, body);
      const text = JSON.stringify({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: body.toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  upstream.url = `http://127.0.0.1:${port}`;
  upstream.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return upstream;
}
