/** Starts the processes under test: the upstream, the proxy (`ig-proxy serve`) and nginx. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonwebtoken from 'jsonwebtoken';
import { freePort, firstJsonLine, start, waitForHttp, type Started } from './procs.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ACCESS_TOKEN = 'bench-access-token-1234567890';
export const JWT_KEY = 'bench-jwt-key-0123456789abcdef0123456789abcdef';
const CLIENT_SECRET = 'bench-client-secret-0123456789abcdef';
export const API_PATH = '/users/self';

export interface Upstream {
  readonly proc: Started;
  readonly port: number;
}

export async function startUpstream(cpus: string | undefined): Promise<Upstream> {
  const proc = start(cpus, process.execPath, [join(ROOT, 'dist/bench/upstream.js')]);
  const { port } = await firstJsonLine<{ port: number }>(proc);
  return { proc, port };
}

export interface ProxyOptions {
  readonly cpus: string | undefined;
  readonly upstreamPort: number;
  readonly workers: number;
  readonly logLevel: string;
  readonly jwtCache: boolean;
  /** Directory for `node --cpu-prof` output; no profiling when undefined. */
  readonly profileDir: string | undefined;
  readonly nodeFlags: readonly string[];
  /** A directory without a `.env.json`, so only the environment below configures the proxy. */
  readonly cwd: string;
}

export interface Proxy {
  readonly proc: Started;
  readonly port: number;
}

export async function startProxy(opts: ProxyOptions): Promise<Proxy> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    OPEN_PROXY: 'true',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: opts.logLevel,
    INSTAGRAM_API_URL: `http://127.0.0.1:${opts.upstreamPort}/v1`,
    INSTAGRAM_CLIENT_SECRET: CLIENT_SECRET,
    JWT_KEY,
    WORKERS: String(opts.workers),
  };
  const node = [
    ...opts.nodeFlags,
    ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []),
  ];
  const script = opts.jwtCache
    ? [join(ROOT, 'dist/src/main.js'), 'serve']
    : [join(ROOT, 'dist/bench/serve-no-jwt-cache.js')];
  // Logs (one line per request at LOG_LEVEL=info) go to /dev/null: a pipe nobody reads would block.
  const proc = start(opts.cpus, process.execPath, [...node, ...script], {
    env,
    cwd: opts.cwd,
    stdout: 'ignore',
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, proc);
  return { proc, port };
}

/** An HS256 JWT minted with jsonwebtoken (independent of our code), valid for the whole run. */
export function benchJwt(): string {
  return jsonwebtoken.sign({ sub: 'bench', tokens: [ACCESS_TOKEN] }, JWT_KEY, {
    algorithm: 'HS256',
    expiresIn: '2h',
  });
}

export interface Target {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The process that serves this target (for CPU per request). */
  readonly serverPid?: number;
}

/** The same API call four ways: to the upstream, through nginx, and both proxy routes. */
export function targetsFor(ports: { upstream: number; proxy: number; nginx?: number }, jwt: string) {
  const query = `?access_token=${ACCESS_TOKEN}`;
  const t = {
    direct: { url: `http://127.0.0.1:${ports.upstream}/v1${API_PATH}${query}`, headers: {} },
    open: { url: `http://127.0.0.1:${ports.proxy}/proxy/instagram${API_PATH}${query}`, headers: {} },
    secure: {
      url: `http://127.0.0.1:${ports.proxy}/secure-proxy/instagram${API_PATH}${query}`,
      headers: { authorization: `Bearer ${jwt}` },
    },
  } satisfies Record<string, Target>;
  const nginx = ports.nginx
    ? { url: `http://127.0.0.1:${ports.nginx}/v1${API_PATH}${query}`, headers: {} }
    : undefined;
  return { ...t, nginx };
}

/** Each target must answer 200 before load, and the secure route must refuse a request without JWT. */
export async function preflight(targets: Record<string, Target | undefined>): Promise<void> {
  for (const [name, target] of Object.entries(targets)) {
    if (!target) continue;
    const res = await fetch(target.url, { headers: target.headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`preflight: ${name} answered ${res.status}, expected 200`);
  }
  if (targets.secure) {
    const res = await fetch(targets.secure.url);
    await res.arrayBuffer();
    if (res.status !== 401) throw new Error(`preflight: secure route without JWT answered ${res.status}`);
  }
}
