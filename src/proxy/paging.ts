import { formEncode } from './params.js';
import type { UpstreamBase } from './upstream-url.js';

/** Our signature parameters: never in a link we hand to a browser (the proxy signs again). */
export const SIGNATURE_PARAMS: ReadonlySet<string> = new Set([
  'sig',
  'appsecret_proof',
  'appsecret_time',
  'jwt',
]);

export interface LinkTarget {
  /** The upstream the links point at (only links below it come back through the proxy). */
  readonly base: UpstreamBase;
  /** The route the links are rewritten to: `[PUBLIC_URL]/secure-proxy/<provider>`, or `/proxy/...`. */
  readonly routePrefix: string;
  /** Keep `access_token` in rewritten links (only when the client sent it in the query). */
  readonly keepAccessToken: boolean;
}

function filteredQuery(url: URL, keepAccessToken: boolean): string {
  const kept = [...url.searchParams].filter(
    ([k]) => !SIGNATURE_PARAMS.has(k) && (keepAccessToken || k !== 'access_token'),
  );
  return formEncode(kept);
}

/**
 * Maps one pagination link. A link below the provider's base URL becomes the same call on our route,
 * signature parameters removed. A link elsewhere is left alone, except that our signature parameters
 * are still removed from it. Returns undefined when the link stays as it is.
 */
export function proxyLink(link: string, target: LinkTarget): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return stripRelativeLink(link);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const { origin, basePath } = target.base;
  const below = url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
  if (url.origin !== origin || !below) {
    if (![...url.searchParams.keys()].some((k) => SIGNATURE_PARAMS.has(k))) return undefined;
    url.search = filteredQuery(url, true);
    return url.href;
  }
  const apiPath = url.pathname.slice(basePath.length) || '/';
  const query = filteredQuery(url, target.keepAccessToken);
  return `${target.routePrefix}${apiPath}${query ? `?${query}` : ''}`;
}

const RELATIVE_BASE = 'https://relative.invalid';

/**
 * A relative (`/x?…`, `x?…`) or protocol-relative (`//host/x?…`) link is not ours to rewrite, but our
 * signature parameters never leave in it either: the browser would resolve it with our proof in it.
 */
export function stripRelativeLink(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link, RELATIVE_BASE);
  } catch {
    return undefined;
  }
  if (![...url.searchParams.keys()].some((k) => SIGNATURE_PARAMS.has(k))) return undefined;
  url.search = filteredQuery(url, true);
  const rest = `${url.pathname}${url.search}${url.hash}`;
  return link.startsWith('//') ? `//${url.host}${rest}` : rest;
}

/** Our signature parameters removed from any link (absolute or relative), e.g. a `Location` header. */
export function withoutSignatureParams(link: string): string {
  try {
    const url = new URL(link);
    if (![...url.searchParams.keys()].some((k) => SIGNATURE_PARAMS.has(k))) return link;
    url.search = filteredQuery(url, true);
    return url.href;
  } catch {
    return stripRelativeLink(link) ?? link;
  }
}

interface Frame {
  readonly isObject: boolean;
  /** The member key being read (objects only). */
  key: string | undefined;
  expectKey: boolean;
}

/** `paging.next` / `paging.previous` (Graph) and `pagination.next_url` (legacy), at any depth. */
function isLinkPosition(frames: readonly Frame[]): boolean {
  const top = frames[frames.length - 1];
  const parent = frames[frames.length - 2];
  if (!top?.isObject || !parent?.isObject) return false;
  if (parent.key === 'paging') return top.key === 'next' || top.key === 'previous';
  return parent.key === 'pagination' && top.key === 'next_url';
}

/**
 * Rewrites the pagination links in a JSON text. Every other byte is kept as it was (numbers too
 * large for a double, escaping, spacing), because only the link strings are replaced in place.
 * Returns undefined when the text is not JSON or nothing changed.
 */
export function rewritePagingLinks(
  text: string,
  map: (link: string) => string | undefined,
): string | undefined {
  if (!text.includes('"paging"') && !text.includes('"pagination"')) return undefined;
  try {
    JSON.parse(text); // the scanner below assumes valid JSON
  } catch {
    return undefined;
  }
  const frames: Frame[] = [];
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = frames[frames.length - 1];
      if (top?.isObject && top.expectKey) {
        top.key = JSON.parse(text.slice(start, i + 1)) as string;
        top.expectKey = false;
      } else if (isLinkPosition(frames)) {
        const replaced = map(JSON.parse(text.slice(start, i + 1)) as string);
        if (replaced === undefined) continue;
        out += text.slice(copied, start) + JSON.stringify(replaced);
        copied = i + 1;
      }
    } else if (c === '{' || c === '[') {
      frames.push({ isObject: c === '{', key: undefined, expectKey: c === '{' });
    } else if (c === '}' || c === ']') {
      frames.pop();
    } else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top?.isObject) top.expectKey = true;
    }
  }
  return copied === 0 ? undefined : out + text.slice(copied);
}

/**
 * A Graph batch answer is a JSON array of `{code, headers, body}` where `body` is JSON text: the
 * links inside each body are rewritten too (else our per-operation proofs would reach the browser).
 */
export function rewriteBatchBodies(
  text: string,
  map: (link: string) => string | undefined,
): string | undefined {
  if (!/^\s*\[/.test(text) || (!text.includes('paging') && !text.includes('pagination'))) return undefined;
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(items)) return undefined;
  let changed = false;
  for (const item of items as unknown[]) {
    if (item === null || typeof item !== 'object') continue;
    const op = item as { body?: unknown };
    if (typeof op.body !== 'string') continue;
    const body = rewritePagingLinks(op.body, map);
    if (body === undefined) continue;
    op.body = body;
    changed = true;
  }
  try {
    return changed ? JSON.stringify(items) : undefined;
  } catch {
    return undefined; // too deep to re-serialise: sent on as it came
  }
}

/**
 * The response transform for one request: pagination links come back through `target`; inside batch
 * answers they never keep an access token (which operation sent which token where is not tracked).
 */
export function pagingTransform(target: LinkTarget): (text: string) => string | undefined {
  const batchTarget = { ...target, keepAccessToken: false };
  return (text) => {
    try {
      return (
        rewriteBatchBodies(text, (link) => proxyLink(link, batchTarget)) ??
        rewritePagingLinks(text, (link) => proxyLink(link, target))
      );
    } catch {
      return undefined; // an answer we cannot rewrite is passed on as it came, never a 500
    }
  };
}
