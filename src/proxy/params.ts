import { ProxyError } from '../errors.js';

/** Decoded parameters in arrival order; a key appears once (duplicates are rejected, never merged). */
export type ParamMap = Map<string, string>;

function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new ProxyError('BadRequest', 'Malformed percent-encoding in parameters');
  }
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Every parameter name and value passes here, whatever it came in: one rule for query, form and JSON.
 * Names must be non-empty and bracket-free (`access_token[]` could be merged into `access_token` by
 * some servers, which would give one parameter two values); text must be well-formed Unicode so that
 * it can be signed and re-encoded exactly.
 */
const CREDENTIAL_NAMES: ReadonlySet<string> = new Set([
  'access_token',
  'jwt',
  'sig',
  'appsecret_proof',
  'appsecret_time',
]);

export function checkParam(key: string, value: string): void {
  // `ACCESS_TOKEN`, `access.token`, `access token` are `access_token` to some servers (PHP maps `.` and
  // spaces to `_`): a second, unchecked value for a credential. Only the exact name is accepted.
  const folded = key.toLowerCase().replace(/[. ]/g, '_');
  if (folded !== key && CREDENTIAL_NAMES.has(folded))
    throw new ProxyError('BadRequest', 'Parameter name looks like a credential name');
  if (key === '') throw new ProxyError('BadRequest', 'Parameter with an empty name');
  if (key.includes('[') || key.includes(']'))
    throw new ProxyError('BadRequest', 'Parameter names may not contain brackets');
  if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(value))
    throw new ProxyError('BadRequest', 'Parameters must be valid Unicode text');
}

/**
 * Strict `application/x-www-form-urlencoded` parsing (also used for query strings): `+` is a space,
 * `%2B` a plus, malformed percent-encoding is a 400 and a key given twice is a 400 DuplicateParameter.
 */
export function parseFormEncoded(text: string, into: ParamMap = new Map()): ParamMap {
  if (text === '') return into;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1));
    checkParam(key, value);
    if (into.has(key)) throw new ProxyError('DuplicateParameter', 'A parameter was given more than once');
    into.set(key, value);
  }
  return into;
}

function encodeComponent(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Form-encodes parameters (`%20` for spaces, every reserved character escaped). */
export function formEncode(params: Iterable<[string, string]>): string {
  let out = '';
  for (const [key, value] of params) {
    out += `${out ? '&' : ''}${encodeComponent(key)}=${encodeComponent(value)}`;
  }
  return out;
}

/** A key present in both the query and the body is a 400 DuplicateParameter (one value per key). */
export function assertDisjoint(query: ParamMap, body: ParamMap): void {
  for (const key of body.keys()) {
    if (query.has(key)) throw new ProxyError('DuplicateParameter', 'A parameter was given more than once');
  }
}
