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
    if (key === '') throw new ProxyError('BadRequest', 'Parameter with an empty name');
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

/** Adds `from` to `into`; a key present in both is a 400 DuplicateParameter. */
export function mergeParams(into: ParamMap, from: ParamMap): ParamMap {
  for (const [key, value] of from) {
    if (into.has(key)) throw new ProxyError('DuplicateParameter', 'A parameter was given more than once');
    into.set(key, value);
  }
  return into;
}
