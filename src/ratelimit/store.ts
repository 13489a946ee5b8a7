import type { LimitCheck } from './gcra.js';

/** Where the TATs live. `consume` is atomic over all its checks (all count, or none). */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  /** Resolves the decision; rejects with StoreUnavailableError when the store cannot answer. */
  consume(checks: readonly LimitCheck[]): Promise<{ allowed: boolean; offsetsUs: readonly number[] }>;
  /** For readiness: can the store answer right now? */
  isReady(): boolean;
  close(): Promise<void>;
}

/** The store could not answer (connection down, timeout). Carries no dependency text. */
export class StoreUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`rate-limit store unavailable: ${reason}`);
    this.name = 'StoreUnavailableError';
  }
}
