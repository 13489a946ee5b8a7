import { ProxyError } from '../errors.js';
import type { ParamMap } from '../proxy/params.js';

export const MAX_JWT_LENGTH = 8192;
/** RFC 6750 §2.1: `Bearer 1*SP b64token`. The scheme is case-insensitive. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^([A-Za-z][A-Za-z0-9!#$%&'*+\-.^_`|~]*)(?:[ \t]|$)/;

function headerValues(rawHeaders: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === name) values.push(rawHeaders[i + 1] as string);
  }
  return values;
}

/** The Bearer token of one header value; undefined for another scheme; a malformed Bearer is a 400. */
function bearerToken(value: string): string | undefined {
  const scheme = SCHEME.exec(value)?.[1];
  if (scheme !== undefined && scheme.toLowerCase() !== 'bearer') return undefined;
  const match = BEARER.exec(value);
  if (!match) throw new ProxyError('BadRequest', 'Malformed Bearer credentials');
  return match[1];
}

/**
 * Exactly one JWT from `Authorization: Bearer`, `X-Authorization: Bearer`, the `jwt` query param or
 * the `jwt` body param. Two headers of one name, or two places holding different tokens, is a 400:
 * the proxy never guesses which one the client meant.
 */
export function extractJwt(
  rawHeaders: readonly string[],
  query: ParamMap,
  body: ParamMap | undefined,
): string {
  const found = new Set<string>();
  for (const name of ['authorization', 'x-authorization']) {
    const values = headerValues(rawHeaders, name);
    if (values.length > 1)
      throw new ProxyError('BadRequest', 'More than one credentials header of the same name');
    const token = values.length === 1 ? bearerToken(values[0] as string) : undefined;
    if (token !== undefined) found.add(token);
  }
  const fromQuery = query.get('jwt');
  if (fromQuery !== undefined) found.add(fromQuery);
  const fromBody = body?.get('jwt');
  if (fromBody !== undefined) found.add(fromBody);
  if (found.size === 0) throw new ProxyError('NoJWT');
  if (found.size > 1) throw new ProxyError('BadRequest', 'Different JWTs were given in more than one place');
  const [token] = found as unknown as [string];
  if (token.length > MAX_JWT_LENGTH) throw new ProxyError('JsonWebTokenError');
  return token;
}
