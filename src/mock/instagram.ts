import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MOCK_MEDIA_IDS, MOCK_USER, mockMedia } from './data.js';
import { recordRequest, sendJson } from './exchange.js';

/** What the mock received, exactly, so tests can assert what reached "Instagram". */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: string;
}

export interface MockOptions {
  /** Client secret the mock checks `sig` against (legacy flavour). */
  secret: string;
  /** Keep at most this many received requests. */
  keep?: number;
}

export interface MockInstagram {
  server: Server;
  readonly received: ReceivedRequest[];
  /** Base URL to configure as INSTAGRAM_API_URL, e.g. http://127.0.0.1:1234/v1 */
  url: string;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

const forbidden = (message: string): Json => ({
  code: 403,
  error_type: 'OAuthForbiddenException',
  error_message: message,
});

/**
 * The mock's own check of `sig`, written apart from src/signing so that a bug in the proxy's signer
 * cannot be hidden by the same bug here; tests pin it with the known-answer vectors.
 */
export function mockExpectedSig(secret: string, pathname: string, params: Array<[string, string]>): string {
  let endpoint = decodeURIComponent(pathname);
  if (endpoint === '/v1' || endpoint.startsWith('/v1/')) endpoint = endpoint.slice(3) || '/';
  const signed = params.filter(([k]) => k !== 'sig').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const message = endpoint + signed.map(([k, v]) => `|${k}=${v}`).join('');
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(message, 'utf8')).digest('hex');
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function envelope(data: unknown, extra: Json = {}): Json {
  return { meta: { code: 200 }, data, ...extra };
}

interface Call {
  method: string;
  path: string;
  params: Map<string, string>;
  baseUrl: string;
}

function route(call: Call, comments: Map<string, Json[]>): [number, Json] {
  const { method, path, params } = call;
  let m: RegExpExecArray | null;
  if (path === '/users/self' && method === 'GET') return [200, envelope(MOCK_USER)];
  if (path === '/users/self/media/recent' && method === 'GET') {
    const count = Math.max(1, Math.min(Number(params.get('count') ?? 2) || 2, 20));
    const maxId = params.get('max_id');
    const start = maxId ? MOCK_MEDIA_IDS.indexOf(maxId) + 1 : 0;
    const page = MOCK_MEDIA_IDS.slice(start, start + count);
    const pagination: Json = {};
    const last = page[page.length - 1];
    if (last && start + count < MOCK_MEDIA_IDS.length) {
      const next = new URLSearchParams([...params].filter(([k]) => k !== 'max_id'));
      next.set('max_id', last);
      pagination.next_url = `${call.baseUrl}/users/self/media/recent?${next.toString()}`;
      pagination.next_max_id = last;
    }
    return [200, envelope(page.map(mockMedia), { pagination })];
  }
  if ((m = /^\/media\/([^/]+)$/.exec(path)) && method === 'GET')
    return [200, envelope(mockMedia(m[1] as string))];
  if ((m = /^\/media\/([^/]+)\/likes$/.exec(path))) {
    if (method === 'GET') return [200, envelope([{ id: MOCK_USER.id, username: MOCK_USER.username }])];
    if (method === 'POST' || method === 'DELETE') return [200, envelope(null)];
  }
  if ((m = /^\/media\/([^/]+)\/comments$/.exec(path))) {
    const list = comments.get(m[1] as string) ?? [];
    if (method === 'GET') return [200, envelope(list)];
    if (method === 'POST') {
      const text = params.get('text');
      if (!text)
        return [
          400,
          { meta: { code: 400, error_type: 'APIInvalidParametersError', error_message: 'Missing text' } },
        ];
      const comment = {
        id: String(1000 + list.length),
        text,
        from: { id: MOCK_USER.id, username: MOCK_USER.username },
      };
      comments.set(m[1] as string, [...list, comment]);
      return [200, envelope(comment)];
    }
  }
  return [
    404,
    { meta: { code: 404, error_type: 'APINotFoundError', error_message: 'this endpoint does not exist' } },
  ];
}

/** A fake legacy Instagram API that enforces signed requests as Instagram did. */
export function createMockInstagram(options: MockOptions): MockInstagram {
  const keep = options.keep ?? 200;
  const received: ReceivedRequest[] = [];
  const comments = new Map<string, Json[]>();
  const mock: MockInstagram = {
    server: undefined as unknown as Server,
    received,
    url: '',
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve) => {
        mock.server.listen(port, host, () => {
          const addr = mock.server.address() as AddressInfo;
          mock.url = `http://${addr.address}:${addr.port}/v1`;
          resolve(addr);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        mock.server.close(() => resolve());
        mock.server.closeAllConnections();
      });
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readAll(req);
    recordRequest(received, keep, req, body);
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const params: Array<[string, string]> = [...url.searchParams];
    const type = String(req.headers['content-type'] ?? '');
    if (body && type.startsWith('application/x-www-form-urlencoded'))
      params.push(...new URLSearchParams(body));
    const keys = params.map(([k]) => k);
    if (new Set(keys).size !== keys.length) {
      return sendJson(res, 400, {
        meta: { code: 400, error_type: 'APIInvalidParametersError', error_message: 'Duplicate parameter' },
      });
    }
    const map = new Map(params);
    const sig = map.get('sig');
    if (!sig)
      return sendJson(res, 403, forbidden("Invalid signed-request: Missing required parameter 'sig'"));
    if (sig !== mockExpectedSig(options.secret, url.pathname, params)) {
      return sendJson(res, 403, forbidden('Invalid signed-request: Signature does not match'));
    }
    if (!map.get('access_token') && !map.get('client_id')) {
      return sendJson(res, 400, {
        meta: {
          code: 400,
          error_type: 'OAuthParameterException',
          error_message: 'Missing client_id or access_token URL parameter.',
        },
      });
    }
    let path = decodeURIComponent(url.pathname);
    if (path === '/v1' || path.startsWith('/v1/')) path = path.slice(3) || '/';
    const host = req.headers.host ?? '127.0.0.1';
    const [status, payload] = route(
      { method: req.method ?? 'GET', path, params: map, baseUrl: `http://${host}/v1` },
      comments,
    );
    sendJson(res, status, payload);
  }

  mock.server = createServer((req, res) => {
    handle(req, res).catch(() =>
      sendJson(res, 500, { meta: { code: 500, error_type: 'MockError', error_message: 'mock failure' } }),
    );
  });
  return mock;
}
