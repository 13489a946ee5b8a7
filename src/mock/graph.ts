import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphError } from './graph-data.js';
import { routeGraph, splitVersion, type GraphState } from './graph-routes.js';
import type { MockInstagram, ReceivedRequest } from './instagram.js';
import { recordRequest, sendJson } from './exchange.js';

export interface MockGraphOptions {
  /** App secret the mock checks `appsecret_proof` against. */
  secret: string;
  /** Keep at most this many received requests. */
  keep?: number;
  /** Milliseconds since the epoch, for `appsecret_time` (default Date.now). */
  clock?: () => number;
}

type Json = Record<string, unknown>;
type Params = Map<string, string>;

/** How far `appsecret_time` may be from the mock's clock, as Meta allows. */
export const APPSECRET_TIME_WINDOW_SEC = 300;

export const MISSING_PROOF = 'API calls from the server require an appsecret_proof argument';
export const INVALID_PROOF = 'Invalid appsecret_proof provided in the API argument';
export const INVALID_TIME = 'Invalid appsecret_time provided in the API argument';
export const NO_TOKEN = 'An active access token must be used to query information about the current user.';

/**
 * The mock's own `appsecret_proof`, written apart from src/signing so that a signer bug cannot be
 * hidden by the same bug here; a unit test pins it with the known-answer vectors.
 */
export function mockExpectedProof(secret: string, token: string, appsecretTime?: string): string {
  const message = appsecretTime === undefined ? token : `${token}|${appsecretTime}`;
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(message, 'utf8')).digest('hex');
}

/** Checks the token's proof as Meta does: a 400 error body, or undefined when it is accepted. */
function proofProblem(secret: string, params: Params, nowSec: number): Json | undefined {
  const token = params.get('access_token');
  if (!token) return graphError(NO_TOKEN, 'OAuthException', 2500);
  const proof = params.get('appsecret_proof');
  if (!proof) return graphError(MISSING_PROOF);
  const time = params.get('appsecret_time');
  if (
    time !== undefined &&
    (!/^\d+$/.test(time) || Math.abs(nowSec - Number(time)) > APPSECRET_TIME_WINDOW_SEC)
  )
    return graphError(INVALID_TIME);
  const expected = Buffer.from(mockExpectedProof(secret, token, time));
  const given = Buffer.from(proof);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return graphError(INVALID_PROOF);
  return undefined;
}

/** Query + form body as one map; undefined when a key appears twice. */
function paramsOf(query: string, body: string | undefined): Params | undefined {
  const pairs = [...new URLSearchParams(query), ...(body ? new URLSearchParams(body) : [])];
  const map = new Map(pairs);
  return map.size === pairs.length ? map : undefined;
}

interface Context {
  readonly secret: string;
  readonly nowSec: number;
  readonly origin: string;
  readonly state: GraphState;
}

/** One batch operation: its own token and proof when it has a token, else the batch's (checked already). */
function runOperation(op: unknown, top: Params, ctx: Context): Json {
  const fail = (status: number, body: Json) => ({ code: status, headers: [], body: JSON.stringify(body) });
  const { method, relative_url: relativeUrl, body } = (op ?? {}) as Json;
  if (typeof relativeUrl !== 'string') return fail(400, graphError('Missing relative_url'));
  const url = new URL(relativeUrl.replace(/^\/?/, '/'), 'http://mock.invalid');
  const own = paramsOf(url.search, typeof body === 'string' ? body : undefined);
  if (!own) return fail(400, graphError('Duplicate parameter'));
  let params = own;
  if (own.has('access_token')) {
    const problem = proofProblem(ctx.secret, own, ctx.nowSec);
    if (problem) return fail(400, problem);
  } else {
    params = new Map([...own, ['access_token', top.get('access_token') ?? '']]);
  }
  const { version, path } = splitVersion(url.pathname);
  const call = { method: String(method ?? 'GET').toUpperCase(), path, version, params, origin: ctx.origin };
  const [status, payload] = routeGraph(call, ctx.state);
  return {
    code: status,
    headers: [{ name: 'Content-Type', value: 'application/json; charset=UTF-8' }],
    body: JSON.stringify(payload),
  };
}

function runBatch(batch: string, top: Params, ctx: Context): [number, unknown] {
  let ops: unknown;
  try {
    ops = JSON.parse(batch);
  } catch {
    return [400, graphError('(#100) The parameter batch must be valid JSON')];
  }
  if (!Array.isArray(ops) || ops.length > 50)
    return [400, graphError('(#100) batch must be an array of at most 50')];
  return [200, ops.map((op) => runOperation(op, top, ctx))];
}

function handle(
  req: IncomingMessage,
  body: string,
  options: MockGraphOptions,
  state: GraphState,
): [number, unknown] {
  const url = new URL(req.url ?? '/', 'http://mock.invalid');
  const form = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const params = paramsOf(url.search, form ? body : undefined);
  if (!params) return [400, graphError('Duplicate parameter')];
  const nowSec = Math.floor((options.clock ?? Date.now)() / 1000);
  const ctx = { secret: options.secret, nowSec, origin: `http://${req.headers.host ?? '127.0.0.1'}`, state };
  const { version, path } = splitVersion(url.pathname);
  const batch = params.get('batch');
  if (params.has('access_token') || batch === undefined) {
    const problem = proofProblem(options.secret, params, nowSec);
    if (problem) return [400, problem];
  }
  if (batch !== undefined && path === '/' && req.method === 'POST') return runBatch(batch, params, ctx);
  return routeGraph({ method: req.method ?? 'GET', path, version, params, origin: ctx.origin }, state);
}

/** A fake Instagram Graph API that enforces `appsecret_proof` as Meta does (400, code 100). */
export function createMockGraph(options: MockGraphOptions): MockInstagram {
  const keep = options.keep ?? 200;
  const received: ReceivedRequest[] = [];
  const state: GraphState = { comments: new Map(), nextId: 18000000000001 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      recordRequest(received, keep, req, body);
      const [status, payload] = handle(req, body, options, state);
      sendJson(res, status, payload);
    });
  });
  const mock: MockInstagram = {
    server,
    received,
    url: '',
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve) => {
        server.listen(port, host, () => {
          const addr = server.address() as AddressInfo;
          mock.url = `http://${addr.address}:${addr.port}`;
          resolve(addr);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return mock;
}
