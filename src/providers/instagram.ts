import { instagramSig } from '../signing/instagram-sig.js';
import { parseBaseUrl } from '../proxy/upstream-url.js';
import type { OutgoingParams, Provider } from './types.js';

/** The legacy Instagram API: `sig` over endpoint and every query and body parameter. */
export function createInstagramProvider(baseUrl: string, secret: string): Provider {
  const base = parseBaseUrl(baseUrl);
  const baseHasV1 = base.basePath.endsWith('/v1');
  return {
    name: 'instagram',
    base,
    reservedParams: ['sig'],
    rawBodyAllowed: false,
    structuredJson: false,
    apiPath(clientPath) {
      // Clients may include the API version themselves (`/v1/users/self`); the base already has it.
      if (baseHasV1 && (clientPath === '/v1' || clientPath.startsWith('/v1/')))
        return clientPath.slice(3) || '/';
      return clientPath;
    },
    accessTokens(params: OutgoingParams) {
      const token = params.query.get('access_token') ?? params.body?.get('access_token');
      return token === undefined ? [] : [token];
    },
    sign(apiPath, params) {
      // fromEntries defines own properties, so a `__proto__` parameter is just a parameter.
      const all = Object.fromEntries([...params.query, ...(params.body ?? [])]);
      const sig = instagramSig(secret, apiPath, all);
      // As Instagram's own examples do: in the form body when there is one, else in the query.
      (params.body ?? params.query).set('sig', sig);
    },
  };
}
