import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors.js';
import { ProxyError } from '../errors.js';

interface ErrorSpec {
  readonly status: number;
  readonly message: string;
}

/** THE code → HTTP table. Exhaustive: adding an ErrorCode without a row does not compile. */
export function errorSpec(code: ErrorCode): ErrorSpec {
  switch (code) {
    case 'NoJWT':
      return { status: 401, message: 'No JWT was provided' };
    case 'TokenExpiredError':
      return { status: 401, message: 'The JWT has expired' };
    case 'NotBeforeError':
      return { status: 401, message: 'The JWT is not active yet' };
    case 'JsonWebTokenError':
      return { status: 401, message: 'The JWT is invalid' };
    case 'NoAccessToken':
      return { status: 401, message: 'The request has no access_token' };
    case 'NoJWTAccessTokens':
      return { status: 401, message: 'The JWT has no tokens claim' };
    case 'AccessTokenNotPermitted':
      return { status: 403, message: 'The access_token is not permitted by the JWT' };
    case 'BadRequest':
      return { status: 400, message: 'The request is malformed' };
    case 'DuplicateParameter':
      return { status: 400, message: 'A parameter was given more than once' };
    case 'InvalidPath':
      return { status: 400, message: 'The API path is not allowed' };
    case 'NotFound':
      return { status: 404, message: 'Not found' };
    case 'MethodNotAllowed':
      return { status: 405, message: 'Method not allowed' };
    case 'RequestTimeout':
      return { status: 408, message: 'The request was not received in time' };
    case 'RequestHeadersTooLarge':
      return { status: 431, message: 'The request headers are too large' };
    case 'PayloadTooLarge':
      return { status: 413, message: 'The request body is too large' };
    case 'UnsupportedMediaType':
      return { status: 415, message: 'The request body type is not supported by this provider' };
    case 'RateLimited':
      return { status: 429, message: 'Too many requests' };
    case 'UpstreamUnavailable':
      return { status: 502, message: 'The upstream API could not be reached' };
    case 'UpstreamTimeout':
      return { status: 504, message: 'The upstream API did not answer in time' };
    case 'ServiceUnavailable':
      return { status: 503, message: 'The service is unavailable' };
    case 'InternalError':
      return { status: 500, message: 'Internal error' };
  }
}

const BEARER_ERRORS: Partial<Record<ErrorCode, string>> = {
  TokenExpiredError: 'invalid_token',
  NotBeforeError: 'invalid_token',
  JsonWebTokenError: 'invalid_token',
  NoJWTAccessTokens: 'invalid_token',
  NoAccessToken: 'invalid_request',
};

/** RFC 6750 §3 challenge for a 401. */
function wwwAuthenticate(code: ErrorCode): string {
  const error = BEARER_ERRORS[code];
  return error ? `Bearer realm="ig-proxy", error="${error}"` : 'Bearer realm="ig-proxy"';
}

export interface ErrorBody {
  error: ErrorCode;
  message: string;
}

export function errorBody(err: ProxyError): ErrorBody {
  const spec = errorSpec(err.code);
  return { error: err.code, message: err.detail ?? spec.message };
}

/** Sends `{"error", "message"}` JSON. Anything that is not a ProxyError becomes a bare 500. */
export function sendError(
  res: ServerResponse,
  err: unknown,
  extraHeaders: Record<string, string> = {},
): number {
  const proxyError = err instanceof ProxyError ? err : new ProxyError('InternalError');
  const spec = errorSpec(proxyError.code);
  if (res.headersSent) {
    res.destroy();
    return spec.status;
  }
  const payload = JSON.stringify(errorBody(proxyError));
  const headers: Record<string, string> = {
    ...extraHeaders,
    ...proxyError.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
    'cache-control': 'no-store',
  };
  if (spec.status === 401) headers['www-authenticate'] = wwwAuthenticate(proxyError.code);
  if (proxyError.code === 'PayloadTooLarge') headers.connection = 'close';
  res.writeHead(spec.status, headers);
  res.end(payload);
  return spec.status;
}
