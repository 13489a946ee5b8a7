import { connect } from 'node:net';
import type { ReadinessCheck } from './health.js';

/** A readiness probe opens at most one TCP connection per upstream this often. */
export const UPSTREAM_CHECK_CACHE_MS = 5_000;
export const UPSTREAM_CHECK_TIMEOUT_MS = 1_000;

function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Readiness check `upstream:<provider>`: can a TCP connection to the configured origin be opened?
 * The answer is cached for UPSTREAM_CHECK_CACHE_MS so frequent probes do not hammer the API host.
 */
export function upstreamReachable(provider: string, origin: string, clock: () => number): ReadinessCheck {
  const url = new URL(origin);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let last: { at: number; ok: boolean } | undefined;
  let pending: Promise<boolean> | undefined;
  return {
    name: `upstream:${provider}`,
    check() {
      const now = clock();
      if (last && now - last.at < UPSTREAM_CHECK_CACHE_MS) return last.ok;
      pending ??= tcpReachable(host, port, UPSTREAM_CHECK_TIMEOUT_MS).then((ok) => {
        last = { at: clock(), ok };
        pending = undefined;
        return ok;
      });
      return pending;
    },
  };
}
