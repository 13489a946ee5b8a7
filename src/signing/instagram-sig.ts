import { createHmac } from 'node:crypto';

/** A decoded parameter value as it enters the signature (numbers are rendered in decimal). */
export type ParamValue = string | number;
export type Params = Readonly<Record<string, ParamValue>>;

/**
 * The endpoint Instagram signs: the percent-decoded request path with one leading `/v1` segment
 * removed. Everything else (trailing slash, `.json`) is kept. Throws URIError on bad encoding.
 */
export function signedEndpoint(rawPath: string): string {
  const decoded = decodeURIComponent(rawPath);
  if (decoded === '/v1') return '/';
  return decoded.startsWith('/v1/') ? decoded.slice(3) : decoded;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical string of the legacy `sig`: endpoint, then `|key=value` for every param except
 * `sig`, sorted by key in code-unit order, using decoded values.
 */
export function sigCanonicalString(endpoint: string, params: Params): string {
  let out = endpoint;
  for (const key of Object.keys(params).sort(compareCodeUnits)) {
    if (key === 'sig') continue;
    out += `|${key}=${String(params[key])}`;
  }
  return out;
}

/** Lowercase hex HMAC-SHA256 over a message, keyed with the secret as UTF-8 text. */
export function hmacSha256Hex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/** The `sig` value for a request: endpoint is the raw request path (it may carry `/v1`). */
export function instagramSig(secret: string, rawPath: string, params: Params): string {
  return hmacSha256Hex(secret, sigCanonicalString(signedEndpoint(rawPath), params));
}
