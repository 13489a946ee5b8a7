/**
 * The one error type our code throws on purpose. It carries a stable code and nothing else:
 * no HTTP status (that mapping lives in http/error-response.ts) and never a token or secret.
 */
export type ErrorCode =
  | 'NoJWT'
  | 'TokenExpiredError'
  | 'NotBeforeError'
  | 'JsonWebTokenError'
  | 'NoAccessToken'
  | 'NoJWTAccessTokens'
  | 'AccessTokenNotPermitted'
  | 'BadRequest'
  | 'DuplicateParameter'
  | 'InvalidPath'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'RequestTimeout'
  | 'RequestHeadersTooLarge'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'RateLimited'
  | 'UpstreamUnavailable'
  | 'UpstreamTimeout'
  | 'ServiceUnavailable'
  | 'InternalError';

export class ProxyError extends Error {
  readonly code: ErrorCode;
  /** A fixed, safe detail chosen by our code (never user input, never a dependency's text). */
  readonly detail: string | undefined;
  /** Extra response headers the error needs (e.g. Retry-After). Values are ours, never user input. */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(code: ErrorCode, detail?: string, headers?: Record<string, string>) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ProxyError';
    this.code = code;
    this.detail = detail;
    this.headers = headers;
  }
}

export function isProxyError(err: unknown): err is ProxyError {
  return err instanceof ProxyError;
}
