import { gcraStep, type LimitCheck } from './gcra.js';
import type { RateLimitStore } from './store.js';

/** Keys kept at most by one process's in-memory store; past it the least recently used go first. */
export const DEFAULT_MEMORY_STORE_MAX_KEYS = 100_000;
/** Expired keys looked at (and dropped) from the old end on every request: amortised clean-up. */
const SWEEP_PER_CALL = 4;

/**
 * Per-process store: a Map of key → TAT (µs) in least-recently-used order. Bounded and expiring:
 * a key whose TAT has passed holds no information and is dropped lazily; no timers.
 */
export function createMemoryStore(
  clockMs: () => number,
  maxKeys = DEFAULT_MEMORY_STORE_MAX_KEYS,
): RateLimitStore & { size(): number } {
  const tats = new Map<string, number>();

  function sweep(nowUs: number): void {
    let looked = 0;
    for (const [key, tat] of tats) {
      if (looked++ >= SWEEP_PER_CALL) break;
      if (tat <= nowUs) tats.delete(key);
    }
  }

  function store(key: string, tat: number): void {
    tats.delete(key); // re-insert: most recently used at the end
    tats.set(key, tat);
    while (tats.size > maxKeys) tats.delete(tats.keys().next().value as string);
  }

  return {
    kind: 'memory',
    async consume(checks: readonly LimitCheck[]) {
      const nowUs = Math.round(clockMs() * 1000);
      sweep(nowUs);
      const outcome = gcraStep(
        checks,
        checks.map((c) => tats.get(c.key)),
        nowUs,
      );
      if (outcome.allowed) checks.forEach((c, i) => store(c.key, outcome.newTats[i] as number));
      return outcome;
    },
    isReady: () => true,
    close: async () => tats.clear(),
    size: () => tats.size,
  };
}
