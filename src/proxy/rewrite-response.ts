import type { ServerResponse } from 'node:http';
import {
  keepOurHeaders,
  streamToClient,
  upstreamError,
  upstreamErrorKind,
  type UpstreamErrorKind,
  type UpstreamResult,
} from './forward.js';
import type { OutgoingHeaders } from './headers.js';
import { pagingTransform } from './paging.js';
import type { Collected } from './relay.js';
import type { Config } from '../config/types.js';
import type { Provider } from '../providers/types.js';

/** How one response's body is rewritten (its pagination links). */
export interface ResponseRewrite {
  /** Larger bodies stream through untouched. */
  readonly maxBytes: number;
  /** The new text, or undefined to send the bytes as they came. */
  rewrite(text: string): string | undefined;
}

/**
 * The rewrite for one request, or undefined when off (REWRITE_PAGING=false, or HEAD). Links go to the
 * same route and provider; root-relative unless PUBLIC_URL is set, since the Host header is the client's.
 */
export function pagingRewrite(
  config: Pick<Config, 'rewritePaging' | 'rewritePagingMaxBytes' | 'publicUrl'>,
  method: string | undefined,
  target: { readonly secure: boolean; readonly provider: Provider },
  keepAccessToken: boolean,
): ResponseRewrite | undefined {
  if (!config.rewritePaging || method === 'HEAD') return undefined;
  const route = `${target.secure ? '/secure-proxy' : '/proxy'}/${target.provider.name}`;
  const rewrite = pagingTransform({
    base: target.provider.base,
    routePrefix: `${config.publicUrl ?? ''}${route}`,
    keepAccessToken,
  });
  return { maxBytes: config.rewritePagingMaxBytes, rewrite };
}

function header(headers: OutgoingHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

/** JSON (Graph also answers `text/javascript`), not compressed, and not declared over the cap. */
export function isRewritable(headers: OutgoingHeaders, maxBytes: number): boolean {
  const mime = (header(headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const json = mime === 'application/json' || mime.endsWith('+json') || mime === 'text/javascript';
  if (!json || Array.isArray(headers['content-type'])) return false;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && header(headers, 'content-encoding')?.trim().toLowerCase() !== 'identity')
    return false;
  const length = headers['content-length'];
  if (length === undefined) return true;
  const declared = header(headers, 'content-length');
  return declared !== undefined && /^\d+$/.test(declared) && Number(declared) <= maxBytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined; // not text we could re-encode byte for byte: sent as it came
  }
}

function sendBuffered(
  res: ServerResponse,
  status: number,
  headers: OutgoingHeaders,
  body: Buffer,
): undefined {
  const out = { ...headers, 'content-length': String(body.length) };
  keepOurHeaders(res, out);
  res.writeHead(status, out);
  res.end(body);
  return undefined;
}

/**
 * Sends the upstream response to the client. With a rewrite, a small uncompressed JSON body is read,
 * its pagination links rewritten and re-sent with an exact Content-Length (ETag dropped: the bytes
 * changed). Anything else, or a body that turns out larger than the cap, streams through untouched.
 * A failure after the headers went out goes to `onFailure` (as in streamToClient).
 */
export async function deliverResponse(
  result: UpstreamResult,
  res: ServerResponse,
  rewrite: ResponseRewrite | undefined,
  onFailure?: (kind: UpstreamErrorKind) => void,
): Promise<void> {
  if (!rewrite || !isRewritable(result.headers, rewrite.maxBytes))
    return streamToClient(result, res, onFailure);
  let buffered: Collected;
  try {
    buffered = await result.body.collect(rewrite.maxBytes);
  } catch (err) {
    throw upstreamError(err);
  }
  const raw = Buffer.concat(buffered.chunks, buffered.size);
  if (buffered.overflow) {
    keepOurHeaders(res, result.headers);
    res.writeHead(result.statusCode, result.headers);
    res.write(raw);
    try {
      await result.body.pipeTo(res);
    } catch (err) {
      onFailure?.(upstreamErrorKind(err));
      res.destroy();
    }
    return;
  }
  // A body that had fully arrived before collect() comes back whole (overflow false) even when it is
  // over the cap: larger than the cap is never rewritten, whichever way it arrived.
  if (buffered.size > rewrite.maxBytes) return sendBuffered(res, result.statusCode, result.headers, raw);
  const text = decodeUtf8(raw);
  const rewritten = text === undefined ? undefined : rewrite.rewrite(text);
  if (rewritten === undefined) return sendBuffered(res, result.statusCode, result.headers, raw);
  const headers = { ...result.headers };
  delete headers.etag;
  delete headers['content-md5'];
  sendBuffered(res, result.statusCode, headers, Buffer.from(rewritten, 'utf8'));
}
