import { ProxyError } from '../errors.js';

/** Characters allowed in a raw path (RFC 3986 pchar plus `/`), before decoding. */
const RAW_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:%/]*$/;
const PERCENT_TRIPLET = /%(?![0-9A-Fa-f]{2})/;
// Decoded segment content that could change where the request goes or how a server splits it.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_DECODED = /[/\\@%?#\u0000-\u001f\u007f]/;

/**
 * Validates the API path a client asked for (the part after `/proxy/<provider>`), raw as sent.
 * Anything that could leave the configured origin or base path is a 400 InvalidPath: dot segments
 * (also percent-encoded), encoded slashes or backslashes, empty segments (`//host`), `@`,
 * control characters, double encoding.
 */
export function validateApiPath(rawPath: string): string {
  const invalid = () => new ProxyError('InvalidPath', 'The API path is not allowed');
  if (!rawPath.startsWith('/') || rawPath.length > 2048) throw invalid();
  if (!RAW_PATH.test(rawPath) || PERCENT_TRIPLET.test(rawPath)) throw invalid();
  const segments = rawPath.slice(1).split('/');
  segments.forEach((segment, index) => {
    if (segment === '' && index !== segments.length - 1) throw invalid(); // `//` anywhere
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw invalid();
    }
    if (decoded === '.' || decoded === '..' || FORBIDDEN_DECODED.test(decoded)) throw invalid();
  });
  return rawPath;
}

export interface UpstreamBase {
  /** `scheme://host[:port]`, fixed by config. */
  readonly origin: string;
  /** Base path without a trailing slash (may be empty). */
  readonly basePath: string;
}

export function parseBaseUrl(baseUrl: string): UpstreamBase {
  const url = new URL(baseUrl);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

/** Joins base path, validated API path and encoded query. The origin never comes from the request. */
export function upstreamPath(base: UpstreamBase, apiPath: string, query: string): string {
  return `${base.basePath}${apiPath}${query ? `?${query}` : ''}`;
}
