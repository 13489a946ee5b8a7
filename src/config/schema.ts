/**
 * Every configuration key, its kind, default and one line of documentation. This table is the single
 * place defaults live; README's configuration table is generated from the same words.
 */
export type KeyKind = 'string' | 'int' | 'bool' | 'list' | 'url' | 'rate' | 'workers' | 'json';

export interface KeyDef {
  readonly name: string;
  readonly kind: KeyKind;
  readonly default?: string;
  readonly doc: string;
  /** Never printed; may also be given as `<NAME>_FILE`. */
  readonly secret?: boolean;
}

export const DEFAULT_PORT = 2000;
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;
export const DEFAULT_JWT_CLOCK_TOLERANCE_S = 15;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
export const DEFAULT_JWKS_CACHE_MAX_AGE_S = 600;
export const DEFAULT_JWKS_COOLDOWN_S = 30;
// Slow-client and size limits of the HTTP server (node:http options of the same names).
export const DEFAULT_HTTP_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_HTTP_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000;
export const DEFAULT_HTTP_MAX_HEADER_BYTES = 16_384;
// Upstream pool (one undici Pool per provider origin).
export const DEFAULT_UPSTREAM_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_UPSTREAM_MAX_CONNECTIONS = 256;
// Rate-limit store.
export const DEFAULT_REDIS_TIMEOUT_MS = 500;
export const DEFAULT_RATE_LIMIT_KEY_PREFIX = 'igproxy:rl:';
export const DEFAULT_REWRITE_PAGING_MAX_BYTES = 1_048_576;
export const DEFAULT_INSTAGRAM_API_URL = 'https://api.instagram.com/v1';
export const DEFAULT_INSTAGRAM_GRAPH_API_URL = 'https://graph.instagram.com';
export const DEFAULT_FACEBOOK_GRAPH_API_URL = 'https://graph.facebook.com';

export const KEYS: readonly KeyDef[] = [
  // core
  {
    name: 'INSTAGRAM_CLIENT_SECRET',
    kind: 'string',
    doc: 'Legacy Instagram client secret; signs `sig`. The `instagram` provider is off without it.',
    secret: true,
  },
  {
    name: 'JWT_KEY',
    kind: 'string',
    doc: 'HMAC secret for HS256/384/512 tokens without `kid`; never a PEM (see JWT keys).',
    secret: true,
  },
  {
    name: 'PORT',
    kind: 'int',
    default: String(DEFAULT_PORT),
    doc: 'Port to listen on (0 picks a free one).',
  },
  { name: 'HOST', kind: 'string', default: '0.0.0.0', doc: 'Address to listen on.' },
  {
    name: 'INSTAGRAM_API_URL',
    kind: 'url',
    default: DEFAULT_INSTAGRAM_API_URL,
    doc: 'Upstream base URL of the `instagram` provider.',
  },
  {
    name: 'OPEN_PROXY',
    kind: 'bool',
    doc: 'Serve the unauthenticated `/proxy/...` route. Default: on unless NODE_ENV=production.',
  },
  {
    name: 'LOG_LEVEL',
    kind: 'string',
    default: 'info',
    doc: 'pino level: fatal, error, warn, info, debug, trace, silent. Request lines are `info`; `warn` turns them off.',
  },
  {
    name: 'UPSTREAM_TIMEOUT_MS',
    kind: 'int',
    default: String(DEFAULT_UPSTREAM_TIMEOUT_MS),
    doc: 'Upstream response-headers timeout and body idle timeout; past it the client gets 504.',
  },
  {
    name: 'UPSTREAM_CONNECT_TIMEOUT_MS',
    kind: 'int',
    default: String(DEFAULT_UPSTREAM_CONNECT_TIMEOUT_MS),
    doc: 'Upstream TCP+TLS connect timeout; past it the client gets 504.',
  },
  {
    name: 'UPSTREAM_MAX_CONNECTIONS',
    kind: 'int',
    default: String(DEFAULT_UPSTREAM_MAX_CONNECTIONS),
    doc: 'Most concurrent connections to each upstream origin (per process); more requests queue.',
  },
  {
    name: 'HTTP_HEADERS_TIMEOUT_MS',
    kind: 'int',
    default: String(DEFAULT_HTTP_HEADERS_TIMEOUT_MS),
    doc: 'A client must send its request headers within this time, or gets 408 and is disconnected.',
  },
  {
    name: 'HTTP_REQUEST_TIMEOUT_MS',
    kind: 'int',
    default: String(DEFAULT_HTTP_REQUEST_TIMEOUT_MS),
    doc: 'A client must send its whole request (headers and body) within this time, or gets 408.',
  },
  {
    name: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    kind: 'int',
    default: String(DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT_MS),
    doc: 'Idle keep-alive client connections are closed after this; set above your load balancer idle timeout.',
  },
  {
    name: 'HTTP_MAX_HEADER_BYTES',
    kind: 'int',
    default: String(DEFAULT_HTTP_MAX_HEADER_BYTES),
    doc: 'Largest request line plus headers accepted; larger gets 431.',
  },
  {
    name: 'MAX_BODY_BYTES',
    kind: 'int',
    default: String(DEFAULT_MAX_BODY_BYTES),
    doc: 'Largest request body accepted; larger is 413 before any other work.',
  },
  // JWT
  {
    name: 'JWT_ALGORITHMS',
    kind: 'list',
    default: 'HS256',
    doc: 'Accepted JWT algorithms (never taken from the token; `none` is never accepted).',
  },
  {
    name: 'JWT_CLOCK_TOLERANCE',
    kind: 'int',
    default: String(DEFAULT_JWT_CLOCK_TOLERANCE_S),
    doc: 'Seconds of clock skew allowed on `exp`, `nbf`, `iat`.',
  },
  { name: 'JWT_ISSUER', kind: 'list', doc: 'Required `iss` (comma list: any of them).' },
  { name: 'JWT_AUDIENCE', kind: 'list', doc: 'Required `aud` (comma list: any of them).' },
  {
    name: 'JWT_MAX_LIFETIME',
    kind: 'int',
    doc: 'Reject tokens whose `exp - iat` exceeds this many seconds (requires `iat`). Off when unset.',
  },
  { name: 'JWT_REQUIRE_EXP', kind: 'bool', default: 'true', doc: 'Reject tokens without `exp`.' },
  {
    name: 'JWT_KEYS',
    kind: 'json',
    doc: 'JSON `{kid: secret, PEM or JWK}` for rotation; a token picks one by its header `kid`.',
    secret: true,
  },
  {
    name: 'JWT_PUBLIC_KEY',
    kind: 'string',
    doc: 'Public key for RS/PS/ES/EdDSA: PEM, JWK or JWK Set, inline or `@path` to a file.',
    secret: true,
  },
  {
    name: 'JWT_JWKS_URL',
    kind: 'url',
    doc: 'Remote JWK Set (HTTPS; plain http only on loopback), cached and refreshed in the background.',
  },
  {
    name: 'JWT_JWKS_CACHE_MAX_AGE',
    kind: 'int',
    default: String(DEFAULT_JWKS_CACHE_MAX_AGE_S),
    doc: 'Seconds before the JWK Set is refetched in the background (the last good set stays in use).',
  },
  {
    name: 'JWT_JWKS_COOLDOWN',
    kind: 'int',
    default: String(DEFAULT_JWKS_COOLDOWN_S),
    doc: 'Minimum seconds between JWK Set fetches: an unknown `kid` refetches at most this often.',
  },
  {
    name: 'JWT_TOKENS_CLAIM',
    kind: 'string',
    default: 'tokens',
    doc: 'Name of the claim listing permitted access tokens.',
  },
  // Graph
  {
    name: 'INSTAGRAM_GRAPH_APP_SECRET',
    kind: 'string',
    doc: 'App secret for the `instagram-graph` provider (appsecret_proof). Off without it.',
    secret: true,
  },
  {
    name: 'INSTAGRAM_GRAPH_API_URL',
    kind: 'url',
    default: DEFAULT_INSTAGRAM_GRAPH_API_URL,
    doc: 'Upstream base URL of `instagram-graph`.',
  },
  {
    name: 'FACEBOOK_GRAPH_APP_SECRET',
    kind: 'string',
    doc: 'App secret for the `facebook-graph` provider. Off without it.',
    secret: true,
  },
  {
    name: 'FACEBOOK_GRAPH_API_URL',
    kind: 'url',
    default: DEFAULT_FACEBOOK_GRAPH_API_URL,
    doc: 'Upstream base URL of `facebook-graph`.',
  },
  {
    name: 'APPSECRET_PROOF_TIME',
    kind: 'bool',
    default: 'false',
    doc: 'Send time-stamped proofs (`appsecret_time`).',
  },
  {
    name: 'REWRITE_PAGING',
    kind: 'bool',
    default: 'true',
    doc: 'Rewrite pagination links in JSON responses to come back through the proxy.',
  },
  {
    name: 'REWRITE_PAGING_MAX_BYTES',
    kind: 'int',
    default: String(DEFAULT_REWRITE_PAGING_MAX_BYTES),
    doc: 'Largest JSON response whose links are rewritten; larger ones stream through untouched.',
  },
  {
    name: 'PUBLIC_URL',
    kind: 'url',
    doc: 'The proxy as browsers reach it (e.g. `https://ig.example.com`); makes rewritten links absolute. Unset: root-relative.',
  },
  // operations
  {
    name: 'CORS_ORIGINS',
    kind: 'list',
    doc: 'Exact browser origins (`scheme://host[:port]`, comma list) allowed on both proxy routes. `*` is refused. Unset: no CORS headers.',
  },
  {
    name: 'REDIS_URL',
    kind: 'url',
    doc: 'Redis for shared rate limits across instances (may hold a password: treated as a secret).',
    secret: true,
  },
  {
    name: 'RATE_LIMIT_PER_SUBJECT',
    kind: 'rate',
    doc: '`N/window` per JWT subject, e.g. `120/1m`. Off when unset.',
  },
  {
    name: 'RATE_LIMIT_PER_TOKEN',
    kind: 'rate',
    doc: '`N/window` per Instagram access token. Off when unset.',
  },
  {
    name: 'RATE_LIMIT_KEY_PREFIX',
    kind: 'string',
    default: DEFAULT_RATE_LIMIT_KEY_PREFIX,
    doc: 'Prefix of the rate-limit keys in Redis (instances that share limits must share it).',
  },
  {
    name: 'REDIS_TIMEOUT_MS',
    kind: 'int',
    default: String(DEFAULT_REDIS_TIMEOUT_MS),
    doc: 'Redis connect and command timeout; past it the store counts as down (see RATE_LIMIT_FAIL_OPEN).',
  },
  {
    name: 'RATE_LIMIT_FAIL_OPEN',
    kind: 'bool',
    default: 'true',
    doc: 'When Redis is unreachable, let requests through (true) or answer 503 (false).',
  },
  {
    name: 'METRICS_PORT',
    kind: 'int',
    doc: 'Serve /metrics on this port (same HOST) instead of the main one; /metrics on the main port is then 404.',
  },
  {
    name: 'SHUTDOWN_GRACE_MS',
    kind: 'int',
    default: String(DEFAULT_SHUTDOWN_GRACE_MS),
    doc: 'After SIGTERM/SIGINT, how long in-flight requests may finish before connections are cut.',
  },
  {
    name: 'WORKERS',
    kind: 'workers',
    default: '1',
    doc: 'Worker processes sharing the port (node:cluster): a number, or `auto` for one per CPU.',
  },
];

export const KEY_NAMES: ReadonlySet<string> = new Set(KEYS.map((k) => k.name));
export const SECRET_KEYS: ReadonlySet<string> = new Set(KEYS.filter((k) => k.secret).map((k) => k.name));
