/** The signals that start a graceful shutdown. */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export interface SignalWait {
  /** Resolves with the first shutdown signal (or 'disconnect' when a worker loses its primary). */
  readonly received: Promise<string>;
  /** Removes the handlers (a later signal then has its default effect again). */
  dispose(): void;
}

/**
 * Waits for SIGTERM/SIGINT. The handlers stay installed until dispose(), so a second signal (a
 * terminal's Ctrl-C reaches every worker, and the primary forwards SIGTERM too) does not kill the
 * process in the middle of draining.
 */
export function waitForShutdownSignal(watchDisconnect = false): SignalWait {
  let resolve!: (why: string) => void;
  const received = new Promise<string>((r) => (resolve = r));
  const handlers = SHUTDOWN_SIGNALS.map((signal) => {
    const handler = () => resolve(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const onDisconnect = () => resolve('disconnect');
  if (watchDisconnect) process.once('disconnect', onDisconnect);
  return {
    received,
    dispose() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      process.off('disconnect', onDisconnect);
    },
  };
}
