import { parseBaseUrl } from '../proxy/upstream-url.js';
import type { ParamMap } from '../proxy/params.js';
import { appsecretProof } from '../signing/appsecret-proof.js';
import { operationToken, parseBatch, serializeBatch } from './graph-batch.js';
import type { OutgoingParams, Provider } from './types.js';

export type GraphProviderName = 'instagram-graph' | 'facebook-graph';

/** Parameters only the proxy sets; a client's are removed (also inside batch operations). */
export const PROOF_PARAMS = ['appsecret_proof', 'appsecret_time'] as const;

export interface GraphProviderOptions {
  readonly baseUrl: string;
  readonly secret: string;
  /** Send time-stamped proofs (`appsecret_time`). */
  readonly timeProof: boolean;
}

/** The map holding the `batch` parameter, if any (query and body never both: that is a 400 earlier). */
function batchHolder(params: OutgoingParams): ParamMap | undefined {
  if (params.body?.has('batch')) return params.body;
  return params.query.has('batch') ? params.query : undefined;
}

/** Where the token is: the proof goes next to it. */
function tokenHolder(query: ParamMap, body: ParamMap | undefined): ParamMap | undefined {
  if (query.has('access_token')) return query;
  return body?.has('access_token') ? body : undefined;
}

/**
 * The Instagram Graph and Facebook Graph APIs: `appsecret_proof` (HMAC-SHA256 of the access token,
 * keyed with the app secret) next to every access token, batch operations included.
 */
export function createGraphProvider(name: GraphProviderName, options: GraphProviderOptions): Provider {
  const { secret, timeProof } = options;

  function addProof(query: ParamMap, body: ParamMap | undefined, nowSec: number): void {
    for (const map of [query, body]) for (const p of PROOF_PARAMS) map?.delete(p);
    const holder = tokenHolder(query, body);
    const token = holder?.get('access_token');
    if (holder === undefined || token === undefined) return;
    if (timeProof) {
      holder.set('appsecret_proof', appsecretProof(secret, token, nowSec));
      holder.set('appsecret_time', String(nowSec));
    } else {
      holder.set('appsecret_proof', appsecretProof(secret, token));
    }
  }

  return {
    name,
    base: parseBaseUrl(options.baseUrl),
    reservedParams: PROOF_PARAMS,
    // A multipart body could carry a token the JWT check never saw: only form and JSON are accepted.
    rawBodyAllowed: false,
    structuredJson: true,
    apiPath: (clientPath) => clientPath, // versioned paths (`/v21.0/me`) pass through as sent
    accessTokens(params) {
      const tokens: string[] = [];
      const top = params.query.get('access_token') ?? params.body?.get('access_token');
      if (top !== undefined) tokens.push(top);
      const batch = batchHolder(params)?.get('batch');
      if (batch !== undefined) {
        for (const op of parseBatch(batch)) {
          const own = operationToken(op);
          if (own !== undefined) tokens.push(own);
        }
      }
      return tokens;
    },
    sign(_apiPath, params, ctx) {
      addProof(params.query, params.body, ctx.nowSec);
      const holder = batchHolder(params);
      const batch = holder?.get('batch');
      if (holder === undefined || batch === undefined) return;
      const ops = parseBatch(batch);
      for (const op of ops) {
        op.query.delete('jwt');
        op.body?.delete('jwt');
        addProof(op.query, op.body, ctx.nowSec);
      }
      holder.set('batch', serializeBatch(ops));
    },
  };
}
