import type { ProviderName } from '../providers/types.js';
import { PROVIDER_NAMES } from '../providers/types.js';
import { ProxyError } from '../errors.js';
import { validateApiPath } from '../proxy/upstream-url.js';

export type Route =
  | { kind: 'info' }
  | { kind: 'healthz' }
  | { kind: 'readyz' }
  | { kind: 'metrics' }
  | { kind: 'proxy'; secure: boolean; provider: ProviderName; clientPath: string; rawQuery: string };

const PREFIXES: ReadonlyArray<[string, boolean]> = [
  ['/proxy/', false],
  ['/secure-proxy/', true],
];

function isProviderName(name: string): name is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(name);
}

/**
 * Matches a request target. Only origin-form targets (`/path?query`) are accepted; an absolute-form
 * target (`http://host/...`) is a 400. Unknown paths are 404, never 401.
 */
export function matchRoute(target: string | undefined): Route {
  if (!target || !target.startsWith('/'))
    throw new ProxyError('BadRequest', 'Only origin-form request targets are accepted');
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const rawQuery = q === -1 ? '' : target.slice(q + 1);
  if (path === '/') return { kind: 'info' };
  if (path === '/healthz') return { kind: 'healthz' };
  if (path === '/readyz') return { kind: 'readyz' };
  if (path === '/metrics') return { kind: 'metrics' };
  for (const [prefix, secure] of PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const provider = slash === -1 ? rest : rest.slice(0, slash);
    if (!isProviderName(provider)) throw new ProxyError('NotFound', 'Unknown provider');
    const clientPath = slash === -1 ? '/' : rest.slice(slash);
    return { kind: 'proxy', secure, provider, clientPath: validateApiPath(clientPath), rawQuery };
  }
  throw new ProxyError('NotFound');
}
