import { ProxyError } from '../errors.js';
import { assertDisjoint, formEncode, parseFormEncoded, type ParamMap } from '../proxy/params.js';
import { validateApiPath } from '../proxy/upstream-url.js';

/** The Graph API's own limit on operations in one batch. */
export const MAX_BATCH_OPERATIONS = 50;

/**
 * Operation fields the proxy understands. Anything else (e.g. per-operation `headers`, which could
 * carry a credential we do not check) rejects the batch: fail closed.
 */
const OPERATION_FIELDS = new Set([
  'method',
  'relative_url',
  'body',
  'name',
  'depends_on',
  'omit_response_on_success',
  'attached_files',
]);
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** One batch operation, parsed once: what is checked is what is re-serialised and sent. */
export interface BatchOperation {
  /** The operation's other fields, as sent. */
  readonly fields: Record<string, unknown>;
  /** relative_url's path as sent (Graph accepts it with or without the leading slash). */
  readonly path: string;
  readonly query: ParamMap;
  readonly body: ParamMap | undefined;
}

const badBatch = (detail: string) => new ProxyError('BadRequest', detail);
const badUrl = () => new ProxyError('InvalidPath', 'A batch relative_url is not allowed');

function parseRelativeUrl(relativeUrl: string): { path: string; query: ParamMap } {
  if (SCHEME.test(relativeUrl) || relativeUrl.startsWith('//') || relativeUrl.includes('#')) throw badUrl();
  const q = relativeUrl.indexOf('?');
  const path = q === -1 ? relativeUrl : relativeUrl.slice(0, q);
  try {
    validateApiPath(path.startsWith('/') ? path : `/${path}`);
  } catch {
    throw badUrl();
  }
  return { path, query: parseFormEncoded(q === -1 ? '' : relativeUrl.slice(q + 1)) };
}

function parseOperation(value: unknown): BatchOperation {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw badBatch('Each batch operation must be a JSON object');
  const fields = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(fields))
    if (!OPERATION_FIELDS.has(key)) throw badBatch('A batch operation has an unsupported field');
  const { relative_url: relativeUrl, body, method } = fields;
  if (typeof relativeUrl !== 'string') throw badBatch('Each batch operation needs a relative_url string');
  if (method !== undefined && typeof method !== 'string') throw badBatch('A batch method must be a string');
  if (body !== undefined && typeof body !== 'string')
    throw badBatch('A batch operation body must be a form-encoded string');
  const { path, query } = parseRelativeUrl(relativeUrl);
  const bodyParams = body === undefined ? undefined : parseFormEncoded(body);
  if (bodyParams) assertDisjoint(query, bodyParams);
  if (query.has('batch') || bodyParams?.has('batch'))
    throw badBatch('Nested batch requests are not supported');
  delete fields.relative_url;
  delete fields.body;
  return { fields, path, query, body: bodyParams };
}

/** Parses the `batch` parameter (JSON text of an array of operations). Malformed → 400. */
export function parseBatch(text: string): BatchOperation[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badBatch('The batch parameter is not valid JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw badBatch('The batch parameter must be a JSON array');
  if (parsed.length > MAX_BATCH_OPERATIONS) throw badBatch('A batch may hold at most 50 operations');
  return parsed.map(parseOperation);
}

/** The operation's own access token, in its relative_url query or its body. */
export function operationToken(op: BatchOperation): string | undefined {
  return op.query.get('access_token') ?? op.body?.get('access_token');
}

/** Serialises operations back to the JSON text sent upstream. */
export function serializeBatch(ops: readonly BatchOperation[]): string {
  try {
    return serializeOperations(ops);
  } catch {
    throw badBatch('The batch parameter is nested too deeply');
  }
}

function serializeOperations(ops: readonly BatchOperation[]): string {
  return JSON.stringify(
    ops.map((op) => {
      const query = formEncode(op.query);
      const out: Record<string, unknown> = {
        ...op.fields,
        relative_url: query ? `${op.path}?${query}` : op.path,
      };
      if (op.body) out.body = formEncode(op.body);
      return out;
    }),
  );
}
