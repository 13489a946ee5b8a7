import type { IncomingMessage } from 'node:http';
import { ProxyError } from '../errors.js';
import { findDuplicateTopLevelKey } from './json-keys.js';
import { checkParam, parseFormEncoded, type ParamMap } from './params.js';

const EMPTY = Buffer.alloc(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the request body up to `limit` bytes; over it is a 413, decided before any other work. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw new ProxyError('PayloadTooLarge');
  if (declared === '0' || (declared === undefined && req.headers['transfer-encoding'] === undefined))
    return EMPTY;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new ProxyError('PayloadTooLarge');
      chunks.push(chunk);
    }
  } catch (err) {
    // A client that goes away mid-body is a bad request, not our failure.
    throw err instanceof ProxyError
      ? err
      : new ProxyError('BadRequest', 'The request body was not received completely');
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

export type BodyKind = 'none' | 'form' | 'json' | 'other';

export function bodyKind(contentType: string | undefined, body: Buffer): BodyKind {
  if (body.length === 0) return 'none';
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mime === 'application/x-www-form-urlencoded') return 'form';
  if (mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json')))
    return 'json';
  return 'other';
}

function decodeText(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new ProxyError('BadRequest', 'Request body is not valid UTF-8');
  }
}

/**
 * JSON value rendering for signing: strings as is, numbers in plain decimal, booleans as words.
 * A number JSON.parse could not keep exactly (an id past 2^53, `1e21`) is refused rather than
 * silently changed: such values must be sent as strings.
 */
function scalarText(value: unknown, allowStructured: boolean): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    const text = String(value);
    if (
      Number.isFinite(value) &&
      !Object.is(value, -0) &&
      !/e/i.test(text) &&
      (!Number.isInteger(value) || Number.isSafeInteger(value))
    )
      return text;
    throw new ProxyError(
      'BadRequest',
      'JSON numbers must be exact; send large or exponent numbers as strings',
    );
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (allowStructured && value !== null && typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      throw new ProxyError('BadRequest', 'JSON body is nested too deeply');
    }
  }
  throw new ProxyError('BadRequest', 'JSON body values must be strings, numbers or booleans');
}

/**
 * Parses a form or JSON-object body into parameters, once. `allowStructured` lets a provider accept
 * objects/arrays as values (sent on as JSON text, as the Graph API's form encoding expects).
 */
export function parseBodyParams(kind: 'form' | 'json', body: Buffer, allowStructured = false): ParamMap {
  const text = decodeText(body);
  if (kind === 'form') return parseFormEncoded(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProxyError('BadRequest', 'Request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ProxyError('BadRequest', 'JSON body must be an object');
  }
  if (findDuplicateTopLevelKey(text) !== undefined) {
    throw new ProxyError('DuplicateParameter', 'A parameter was given more than once');
  }
  const params: ParamMap = new Map();
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const text = scalarText(value, allowStructured);
    checkParam(key, text);
    params.set(key, text);
  }
  return params;
}
