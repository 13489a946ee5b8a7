import { readFileSync } from 'node:fs';
import { parseCorsOrigins } from './cors-origins.js';
import { KEYS, type KeyDef } from './schema.js';
import type { RawConfig } from './load.js';
import type { Config, RateLimitSpec } from './types.js';
import { jwtKeyProblems } from './validate-jwt.js';

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const KNOWN_ALGORITHMS = new Set([
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);
/** Limits and timeouts where 0 would mean "off" or "nothing fits": refused. */
const AT_LEAST_ONE = [
  'UPSTREAM_TIMEOUT_MS',
  'UPSTREAM_CONNECT_TIMEOUT_MS',
  'UPSTREAM_MAX_CONNECTIONS',
  'MAX_BODY_BYTES',
  'HTTP_HEADERS_TIMEOUT_MS',
  'HTTP_REQUEST_TIMEOUT_MS',
  'HTTP_KEEP_ALIVE_TIMEOUT_MS',
  'HTTP_MAX_HEADER_BYTES',
  'REDIS_TIMEOUT_MS',
  'REWRITE_PAGING_MAX_BYTES',
];
const WINDOW_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

type Value =
  string | number | boolean | readonly string[] | RateLimitSpec | Record<string, string> | undefined;

function parseRate(text: string): RateLimitSpec | undefined {
  const m = /^(\d+)\s*\/\s*(\d*)\s*(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const limit = Number(m[1]);
  const windowMs = Number(m[2] || '1') * (WINDOW_UNITS_MS[m[3] as string] as number);
  return limit > 0 && windowMs > 0 ? { limit, windowMs } : undefined;
}

function parseValue(def: KeyDef, text: string): { value: Value } | { problem: string } {
  const bad = (why: string) => ({ problem: `${def.name}: ${why}` });
  switch (def.kind) {
    case 'string':
      return { value: text };
    case 'int': {
      if (!/^\d+$/.test(text.trim())) return bad('must be a whole number');
      return { value: Number(text.trim()) };
    }
    case 'bool': {
      const t = text.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(t)) return { value: true };
      if (['false', '0', 'no', 'off'].includes(t)) return { value: false };
      return bad('must be true or false');
    }
    case 'list':
      return {
        value: text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    case 'url': {
      try {
        const u = new URL(text);
        const schemes = def.name === 'REDIS_URL' ? ['redis:', 'rediss:'] : ['http:', 'https:'];
        if (!schemes.includes(u.protocol)) return bad(`must be a ${schemes.join(' or ')} URL`);
        // Credentials belong in their own secret keys, where they are redacted; an upstream URL is printed.
        if (def.name !== 'REDIS_URL' && (u.username || u.password))
          return bad('must not contain credentials');
        if (def.name !== 'REDIS_URL' && (u.search || u.hash)) return bad('must not have a query or fragment');
        return { value: text.replace(/\/+$/, '') };
      } catch {
        return bad('must be an absolute URL');
      }
    }
    case 'rate': {
      const r = parseRate(text);
      return r ? { value: r } : bad('must look like 120/1m (N per window; units ms, s, m, h)');
    }
    case 'workers': {
      if (text.trim() === 'auto') return { value: 'auto' };
      return /^[1-9]\d*$/.test(text.trim())
        ? { value: Number(text.trim()) }
        : bad('must be a positive number or auto');
    }
    case 'json': {
      try {
        const obj = JSON.parse(text) as unknown;
        if (
          obj &&
          typeof obj === 'object' &&
          !Array.isArray(obj) &&
          Object.values(obj).every((v) => typeof v === 'string')
        ) {
          return { value: obj as Record<string, string> };
        }
      } catch {
        // fall through: never echo the text, it may hold secrets
      }
      return bad('must be a JSON object of strings');
    }
  }
}

function isPublicUrl(text: string): boolean {
  const u = new URL(text);
  return (
    /^https?:$/.test(u.protocol) && !u.search && !u.hash && !u.username && !u.password && !/[?#]/.test(text)
  );
}

function readAtFile(value: string | undefined, name: string, problems: string[]): string | undefined {
  if (value === undefined || !value.startsWith('@')) return value;
  try {
    return readFileSync(value.slice(1), 'utf8');
  } catch {
    problems.push(`${name}: cannot read the file it names`);
    return undefined;
  }
}

/** Pure validation: every problem is collected, the result is frozen. */
export function validateConfig(raw: RawConfig, nodeEnv: string): { config?: Config; problems: string[] } {
  const problems: string[] = [];
  const v: Record<string, Value> = {};
  for (const def of KEYS) {
    const text = raw[def.name] ?? def.default;
    if (text === undefined) continue;
    const parsed = parseValue(def, text);
    if ('problem' in parsed) problems.push(parsed.problem);
    else v[def.name] = parsed.value;
  }
  const str = (k: string) => v[k] as string | undefined;
  const num = (k: string) => v[k] as number | undefined;
  const list = (k: string) => v[k] as readonly string[] | undefined;

  const port = num('PORT') ?? 2000;
  if (port > 65535) problems.push('PORT: must be at most 65535');
  const metricsPort = num('METRICS_PORT');
  if (metricsPort !== undefined && metricsPort > 65535) problems.push('METRICS_PORT: must be at most 65535');
  if (!LOG_LEVELS.has(str('LOG_LEVEL') ?? 'info'))
    problems.push('LOG_LEVEL: must be one of ' + [...LOG_LEVELS].join(', '));
  for (const key of AT_LEAST_ONE) if ((num(key) ?? 1) < 1) problems.push(`${key}: must be at least 1`);
  if ((num('HTTP_HEADERS_TIMEOUT_MS') ?? 0) > (num('HTTP_REQUEST_TIMEOUT_MS') ?? Infinity))
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS');
  const publicUrl = str('PUBLIC_URL');
  if (publicUrl !== undefined && !isPublicUrl(publicUrl))
    problems.push('PUBLIC_URL: must be an http(s) URL without query, fragment or credentials');
  const algorithms = list('JWT_ALGORITHMS') ?? ['HS256'];
  for (const alg of algorithms) {
    if (!KNOWN_ALGORITHMS.has(alg))
      problems.push(`JWT_ALGORITHMS: unsupported algorithm ${JSON.stringify(alg.slice(0, 20))}`);
  }
  if (algorithms.length === 0) problems.push('JWT_ALGORITHMS: must list at least one algorithm');
  const publicKey = readAtFile(str('JWT_PUBLIC_KEY') || undefined, 'JWT_PUBLIC_KEY', problems);
  const tokensClaim = str('JWT_TOKENS_CLAIM') ?? 'tokens';
  if (!tokensClaim) problems.push('JWT_TOKENS_CLAIM: must not be empty');

  const providers = {
    instagram: { baseUrl: str('INSTAGRAM_API_URL') as string, secret: str('INSTAGRAM_CLIENT_SECRET') },
    'instagram-graph': {
      baseUrl: str('INSTAGRAM_GRAPH_API_URL') as string,
      secret: str('INSTAGRAM_GRAPH_APP_SECRET'),
    },
    'facebook-graph': {
      baseUrl: str('FACEBOOK_GRAPH_API_URL') as string,
      secret: str('FACEBOOK_GRAPH_APP_SECRET'),
    },
  };
  if (!Object.values(providers).some((p) => p.secret)) {
    problems.push(
      'INSTAGRAM_CLIENT_SECRET: no provider is configured; set it (or INSTAGRAM_GRAPH_APP_SECRET / FACEBOOK_GRAPH_APP_SECRET)',
    );
  }
  const jwtKeys = v['JWT_KEYS'] as Record<string, string> | undefined;
  problems.push(
    ...jwtKeyProblems({
      key: str('JWT_KEY'),
      keys: jwtKeys,
      publicKey,
      algorithms: algorithms.filter((a) => KNOWN_ALGORITHMS.has(a)),
      jwksUrl: str('JWT_JWKS_URL'),
      jwksCacheMaxAgeSec: num('JWT_JWKS_CACHE_MAX_AGE'),
    }),
  );
  const corsOrigins = parseCorsOrigins(list('CORS_ORIGINS') ?? [], problems);
  if (problems.length > 0) return { problems };

  const config: Config = {
    nodeEnv,
    host: str('HOST') ?? '0.0.0.0',
    port,
    // Secure by default: the unauthenticated route is on only in development (NODE_ENV unset or exactly
    // `development`); `Production`, `staging`, `prod`… all keep it off unless OPEN_PROXY=true.
    openProxy: (v['OPEN_PROXY'] as boolean | undefined) ?? nodeEnv === 'development',
    logLevel: str('LOG_LEVEL') ?? 'info',
    upstreamTimeoutMs: num('UPSTREAM_TIMEOUT_MS') as number,
    upstreamConnectTimeoutMs: num('UPSTREAM_CONNECT_TIMEOUT_MS') as number,
    upstreamMaxConnections: num('UPSTREAM_MAX_CONNECTIONS') as number,
    http: {
      headersTimeoutMs: num('HTTP_HEADERS_TIMEOUT_MS') as number,
      requestTimeoutMs: num('HTTP_REQUEST_TIMEOUT_MS') as number,
      keepAliveTimeoutMs: num('HTTP_KEEP_ALIVE_TIMEOUT_MS') as number,
      maxHeaderBytes: num('HTTP_MAX_HEADER_BYTES') as number,
    },
    maxBodyBytes: num('MAX_BODY_BYTES') as number,
    jwt: {
      key: str('JWT_KEY'),
      algorithms,
      clockToleranceSec: num('JWT_CLOCK_TOLERANCE') as number,
      issuer: list('JWT_ISSUER'),
      audience: list('JWT_AUDIENCE'),
      maxLifetimeSec: num('JWT_MAX_LIFETIME'),
      requireExp: v['JWT_REQUIRE_EXP'] as boolean,
      keys: jwtKeys,
      publicKey,
      jwksUrl: str('JWT_JWKS_URL'),
      jwksCacheMaxAgeSec: num('JWT_JWKS_CACHE_MAX_AGE') as number,
      jwksCooldownSec: num('JWT_JWKS_COOLDOWN') as number,
      tokensClaim,
    },
    providers,
    appsecretProofTime: v['APPSECRET_PROOF_TIME'] as boolean,
    rewritePaging: v['REWRITE_PAGING'] as boolean,
    rewritePagingMaxBytes: num('REWRITE_PAGING_MAX_BYTES') as number,
    publicUrl,
    corsOrigins,
    redisUrl: str('REDIS_URL'),
    rateLimitPerSubject: v['RATE_LIMIT_PER_SUBJECT'] as RateLimitSpec | undefined,
    rateLimitPerToken: v['RATE_LIMIT_PER_TOKEN'] as RateLimitSpec | undefined,
    rateLimitFailOpen: v['RATE_LIMIT_FAIL_OPEN'] as boolean,
    rateLimitKeyPrefix: str('RATE_LIMIT_KEY_PREFIX') as string,
    redisTimeoutMs: num('REDIS_TIMEOUT_MS') as number,
    metricsPort,
    shutdownGraceMs: num('SHUTDOWN_GRACE_MS') as number,
    workers: v['WORKERS'] as number | 'auto',
  };
  return { config: deepFreeze(config), problems };
}

function deepFreeze<T>(obj: T): T {
  if (obj && typeof obj === 'object') {
    for (const value of Object.values(obj)) deepFreeze(value);
    Object.freeze(obj);
  }
  return obj;
}
