import { GRAPH_MEDIA_IDS, GRAPH_USER, graphError, graphMedia, pickFields } from './graph-data.js';

type Json = Record<string, unknown>;

/** One Graph call after its proof was accepted. */
export interface GraphCall {
  readonly method: string;
  /** Path without the version prefix, e.g. `/me/media`. */
  readonly path: string;
  /** `/v21.0` or '' as the client sent it (kept in paging links). */
  readonly version: string;
  readonly params: ReadonlyMap<string, string>;
  /** `http://host:port` of the mock, as the request reached it. */
  readonly origin: string;
}

export interface GraphState {
  readonly comments: Map<string, Json[]>;
  nextId: number;
}

const VERSION = /^\/v\d+\.\d+(?=\/|$)/;

/** Splits `/v21.0/me` into `/v21.0` and `/me`. */
export function splitVersion(pathname: string): { version: string; path: string } {
  const m = VERSION.exec(pathname);
  const version = m ? m[0] : '';
  return { version, path: pathname.slice(version.length) || '/' };
}

/** A cursor page of media, with `paging.next`/`previous` built from the request's own parameters. */
function mediaPage(call: GraphCall): Json {
  const limit = Math.max(1, Math.min(Number(call.params.get('limit') ?? 2) || 2, 25));
  const after = call.params.get('after');
  const before = call.params.get('before');
  let start = after ? GRAPH_MEDIA_IDS.indexOf(after) + 1 : 0;
  if (before) start = Math.max(0, GRAPH_MEDIA_IDS.indexOf(before) - limit);
  const ids = GRAPH_MEDIA_IDS.slice(start, start + limit);
  const link = (key: 'after' | 'before', cursor: string) => {
    const q = new URLSearchParams([...call.params].filter(([k]) => k !== 'after' && k !== 'before'));
    q.set(key, cursor);
    return `${call.origin}${call.version}/me/media?${q.toString()}`;
  };
  const first = ids[0] as string;
  const last = ids[ids.length - 1] as string;
  const paging: Json = { cursors: { before: first, after: last } };
  if (start + limit < GRAPH_MEDIA_IDS.length) paging.next = link('after', last);
  if (start > 0) paging.previous = link('before', first);
  return { data: ids.map((id) => pickFields(graphMedia(id), call.params.get('fields'))), paging };
}

function comments(call: GraphCall, state: GraphState, mediaId: string): [number, Json] {
  const list = state.comments.get(mediaId) ?? [];
  if (call.method === 'GET') return [200, { data: list }];
  const message = call.params.get('message');
  if (!message) return [400, graphError('(#100) The parameter message is required')];
  const comment = { id: String(state.nextId++), text: message };
  state.comments.set(mediaId, [...list, comment]);
  return [200, { id: comment.id }];
}

/** The mock's Graph endpoints: `/me`, `/me/media` (paged), `/{media-id}`, comments, media containers. */
export function routeGraph(call: GraphCall, state: GraphState): [number, Json] {
  const { method, path, params } = call;
  let m: RegExpExecArray | null;
  if (path === '/me' && method === 'GET') return [200, pickFields(GRAPH_USER, params.get('fields'))];
  if (path === '/me/media' && method === 'GET') return [200, mediaPage(call)];
  if ((m = /^\/(me|\d+)\/media$/.exec(path)) && method === 'POST') {
    if (!params.get('image_url') && !params.get('video_url'))
      return [400, graphError('(#100) The parameter image_url is required')];
    return [200, { id: String(state.nextId++) }];
  }
  if ((m = /^\/(\d+)\/comments$/.exec(path)) && (method === 'GET' || method === 'POST'))
    return comments(call, state, m[1] as string);
  if ((m = /^\/(\d+)$/.exec(path)) && method === 'GET' && GRAPH_MEDIA_IDS.includes(m[1] as string))
    return [200, pickFields(graphMedia(m[1] as string), params.get('fields'))];
  return [400, graphError(`Unsupported ${method.toLowerCase()} request.`)];
}
