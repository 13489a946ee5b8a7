import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { extractJwt } from '../auth/extract.js';
import { checkAccessToken, claimOf } from '../auth/allowlist.js';
import type { Clock, JwtVerifier } from '../auth/verify.js';
import type { Config } from '../config/types.js';
import { ProxyError } from '../errors.js';
import { tokenTag } from '../observability/logger.js';
import type { OutgoingParams, Provider } from '../providers/types.js';
import { bodyKind, parseBodyParams, readBody } from '../proxy/body.js';
import { sendWithDeadline } from '../proxy/forward.js';
import { requestHeadersForUpstream } from '../proxy/headers.js';
import { assertDisjoint, formEncode, parseFormEncoded, type ParamMap } from '../proxy/params.js';
import { deliverResponse, pagingRewrite } from '../proxy/rewrite-response.js';
import { upstreamPath } from '../proxy/upstream-url.js';
import { elapsedMs, type RequestContext } from './context.js';

export interface ProxyTarget {
  readonly secure: boolean;
  readonly provider: Provider;
  readonly pool: Dispatcher;
  /** Validated client path below `/<route>/<provider>`. */
  readonly clientPath: string;
  readonly rawQuery: string;
}

/**
 * Runs once the caller is known (rate limits plug in here): on the secure route after the JWT and
 * allowlist checks, with the JWT `sub` (or a hash of the JWT when it has none); on the open route
 * with no subject. May throw a ProxyError; the headers it returns go on the response.
 */
export type AfterAuthHook = (
  ctx: RequestContext,
  subject: string | undefined,
  accessTokens: readonly string[],
) => Promise<Readonly<Record<string, string>> | void>;

export interface PipelineDeps {
  readonly config: Config;
  readonly verifier: JwtVerifier;
  readonly clock: Clock;
  readonly afterAuth?: AfterAuthHook;
}

interface ParsedRequest {
  readonly params: OutgoingParams;
  readonly kind: ReturnType<typeof bodyKind>;
  readonly rawBody: Buffer;
}

/** Steps 1–2: body limit, then query and body parsed once, one value per key. */
async function parseRequest(
  req: IncomingMessage,
  target: ProxyTarget,
  maxBodyBytes: number,
): Promise<ParsedRequest> {
  const rawBody = await readBody(req, maxBodyBytes);
  const query = parseFormEncoded(target.rawQuery);
  const kind = bodyKind(req.headers['content-type'], rawBody);
  let body: ParamMap | undefined;
  if (kind === 'form' || kind === 'json') {
    body = parseBodyParams(kind, rawBody, target.provider.structuredJson);
    assertDisjoint(query, body);
  } else if (kind === 'other' && !target.provider.rawBodyAllowed) {
    throw new ProxyError('UnsupportedMediaType');
  }
  return { params: { query, body }, kind, rawBody };
}

/** Step 3: one JWT, verified, and every access token the request uses checked against its claim. */
async function authorize(
  req: IncomingMessage,
  deps: PipelineDeps,
  parsed: ParsedRequest,
  target: ProxyTarget,
  ctx: RequestContext,
) {
  const jwt = extractJwt(req.rawHeaders, parsed.params.query, parsed.params.body);
  const payload = await deps.verifier.verify(jwt);
  // jsonwebtoken and PyJWT happily mint a numeric `sub`: it is the same subject as its decimal text.
  const sub: unknown = payload.sub;
  if (typeof sub === 'string' || (typeof sub === 'number' && Number.isFinite(sub)))
    ctx.subject = String(sub).slice(0, 128);
  const tokens = target.provider.accessTokens(parsed.params);
  if (tokens.length === 0) throw new ProxyError('NoAccessToken');
  ctx.tokenTag = tokenTag(tokens[0]);
  const claim = claimOf(payload, deps.config.jwt.tokensClaim);
  for (const token of tokens) checkAccessToken(claim, token);
  return deps.afterAuth?.(ctx, ctx.subject ?? `jwt:${tokenTag(jwt) as string}`, tokens);
}

/** Step 3 on the open route: no JWT; the access tokens are still counted. */
async function identifyOpen(
  deps: PipelineDeps,
  parsed: ParsedRequest,
  target: ProxyTarget,
  ctx: RequestContext,
) {
  const tokens = target.provider.accessTokens(parsed.params);
  ctx.tokenTag = tokenTag(tokens[0]);
  return deps.afterAuth?.(ctx, undefined, tokens);
}

/** Parameters that are ours on every provider: a client's are removed before signing. */
export const CLIENT_CREDENTIAL_PARAMS: readonly string[] = [
  'jwt',
  'sig',
  'appsecret_proof',
  'appsecret_time',
];

/** Step 4: remove every credential of ours the client sent. */
function stripCredentials(params: OutgoingParams, provider: Provider): void {
  for (const map of [params.query, params.body]) {
    if (!map) continue;
    for (const name of CLIENT_CREDENTIAL_PARAMS) map.delete(name);
    for (const name of provider.reservedParams) map.delete(name);
  }
}

/** Methods the proxy forwards; anything else is a 405 before any other work. */
export const FORWARDED_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
]);

/** The whole proxy pipeline for one request, top to bottom. Errors propagate as ProxyError. */
export async function proxyRequest(
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
  target: ProxyTarget,
  ctx: RequestContext,
): Promise<void> {
  if (!FORWARDED_METHODS.has(req.method ?? ''))
    throw new ProxyError('MethodNotAllowed', undefined, { allow: [...FORWARDED_METHODS].join(', ') });
  const parsed = await parseRequest(req, target, deps.config.maxBodyBytes);
  const extraHeaders = target.secure
    ? await authorize(req, deps, parsed, target, ctx)
    : await identifyOpen(deps, parsed, target, ctx);
  for (const [name, value] of Object.entries(extraHeaders ?? {})) res.setHeader(name, value);
  stripCredentials(parsed.params, target.provider);
  // Step 6's response transform: pagination links come back to this route (never built from Host).
  const rewrite = pagingRewrite(deps.config, req.method, target, parsed.params.query.has('access_token'));

  const apiPath = target.provider.apiPath(target.clientPath);
  target.provider.sign(apiPath, parsed.params, { nowSec: Math.floor(deps.clock() / 1000) });

  const headers = requestHeadersForUpstream(req.headers);
  headers['x-request-id'] = ctx.requestId;
  // Links can only be rewritten in a body we can read; REWRITE_PAGING=false keeps the client's choice.
  if (rewrite) headers['accept-encoding'] = 'identity';
  let body: Buffer | undefined;
  if (parsed.params.body) {
    body = Buffer.from(formEncode(parsed.params.body), 'utf8');
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (parsed.kind === 'other') {
    body = parsed.rawBody; // passed through as sent, so its own framing headers go with it
    headers['content-type'] = req.headers['content-type'] as string;
    const encoding = req.headers['content-encoding'];
    if (encoding) headers['content-encoding'] = encoding;
  }

  const upstreamStart = process.hrtime.bigint();
  const result = await sendWithDeadline(
    target.pool,
    {
      method: req.method as string,
      path: upstreamPath(target.provider.base, apiPath, formEncode(parsed.params.query)),
      headers,
      body,
    },
    res,
    deps.config.upstreamTimeoutMs,
  );
  ctx.upstreamMs = elapsedMs(upstreamStart); // time to the upstream's response headers
  ctx.upstreamStatus = result.statusCode;
  ctx.outcome = 'proxied';
  await deliverResponse(result, res, rewrite, (kind) => (ctx.upstreamError = kind));
}
