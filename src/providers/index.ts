import type { Config } from '../config/types.js';
import { createInstagramProvider } from './instagram.js';
import type { Provider, ProviderName } from './types.js';

export type { Provider, ProviderName } from './types.js';
export { PROVIDER_NAMES } from './types.js';

/** The providers that are on: those with a secret configured. */
export function createProviders(config: Config): Map<ProviderName, Provider> {
  const providers = new Map<ProviderName, Provider>();
  const ig = config.providers.instagram;
  if (ig.secret) providers.set('instagram', createInstagramProvider(ig.baseUrl, ig.secret));
  return providers;
}
