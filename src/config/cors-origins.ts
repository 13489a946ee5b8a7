/**
 * CORS_ORIGINS entries must be exact browser origins (`scheme://host[:port]`). A wildcard is refused
 * on purpose: the secure route must never be readable from any site, and the open route is a
 * development convenience that does not need one. `null` (sandboxed frames, file://) is refused too.
 * Entries are normalised the way browsers serialise an Origin header (lowercase host, default port
 * dropped), so `https://App.example.com:443/` matches `Origin: https://app.example.com`.
 */
export function parseCorsOrigins(entries: readonly string[], problems: string[]): string[] {
  const origins: string[] = [];
  for (const entry of entries) {
    const shown = JSON.stringify(entry.slice(0, 80));
    if (entry.includes('*')) {
      problems.push(`CORS_ORIGINS: ${shown}: wildcards are not allowed; list exact origins`);
      continue;
    }
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    const pathless = url && url.pathname === '/' && !/[?#]/.test(entry);
    if (!url || !['http:', 'https:'].includes(url.protocol) || !pathless || url.username || url.password) {
      problems.push(`CORS_ORIGINS: ${shown} is not an origin (scheme://host[:port], http or https, no path)`);
      continue;
    }
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return origins;
}
