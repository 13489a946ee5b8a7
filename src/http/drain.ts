import type { Server } from 'node:http';

/** While draining, how often connections that went idle are closed. */
export const DRAIN_SWEEP_INTERVAL_MS = 50;

/**
 * Graceful stop of a listening server: the listener closes at once (new connections are refused),
 * idle keep-alive connections are closed now and busy ones as soon as they go idle. After `graceMs`
 * whatever is left is cut. The returned promise starts all this synchronously; it resolves true when
 * every connection ended on its own, false when some were cut.
 */
export async function drainServer(server: Server, graceMs: number): Promise<boolean> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), DRAIN_SWEEP_INTERVAL_MS);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
  const clean = await Promise.race([closed.then(() => true), expired]);
  clearInterval(sweep);
  clearTimeout(timer);
  if (!clean) server.closeAllConnections();
  await closed;
  return clean;
}
