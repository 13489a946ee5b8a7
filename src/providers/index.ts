import type { Config } from '../config/types.js';
import { createGraphProvider } from './graph.js';
import { createInstagramProvider } from './instagram.js';
import type { Provider, ProviderName } from './types.js';

export type { Provider, ProviderName } from './types.js';
export { PROVIDER_NAMES } from './types.js';

/** The config key whose secret turns each provider on (named in the "not configured" 404). */
export const PROVIDER_SECRET_KEYS: Readonly<Record<ProviderName, string>> = {
  instagram: 'INSTAGRAM_CLIENT_SECRET',
  'instagram-graph': 'INSTAGRAM_GRAPH_APP_SECRET',
  'facebook-graph': 'FACEBOOK_GRAPH_APP_SECRET',
};

/** The providers that are on: those with a secret configured. */
export function createProviders(config: Config): Map<ProviderName, Provider> {
  const providers = new Map<ProviderName, Provider>();
  const ig = config.providers.instagram;
  if (ig.secret) providers.set('instagram', createInstagramProvider(ig.baseUrl, ig.secret));
  for (const name of ['instagram-graph', 'facebook-graph'] as const) {
    const { baseUrl, secret } = config.providers[name];
    if (secret)
      providers.set(
        name,
        createGraphProvider(name, { baseUrl, secret, timeProof: config.appsecretProofTime }),
      );
  }
  return providers;
}
