/**
 * GCRA (generic cell rate algorithm): a sliding limit of `limit` requests per `windowMs` that
 * refills continuously (one request every windowMs/limit), so there is no burst of 2×limit at a
 * window edge as with fixed windows. One number per key: the theoretical arrival time (TAT).
 * Pure: no clock, no I/O. Times are whole microseconds so the arithmetic is exact (and matches the
 * Redis store, which runs the same steps in Lua: redis-store.ts).
 */
export interface LimitCheck {
  /** Store key (already prefixed and hashed: never a raw token). */
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

export interface GcraOutcome {
  readonly allowed: boolean;
  /** Per check: TAT minus now after the decision, in µs (0 = a full quota is available). */
  readonly offsetsUs: readonly number[];
  /** Per check: the TAT (µs) to store; only written when allowed. */
  readonly newTats: readonly number[];
}

/** µs between two requests at the sustained rate; floored, so `limit` of them always fit a window. */
export function intervalUs(check: LimitCheck): number {
  return Math.floor((check.windowMs * 1000) / check.limit);
}

/**
 * All-or-nothing over several limits: the request counts against every limit or against none
 * (a request refused by the per-token limit does not use up the subject's quota).
 */
export function gcraStep(
  checks: readonly LimitCheck[],
  storedTats: readonly (number | undefined)[],
  nowUs: number,
): GcraOutcome {
  const tats = checks.map((_, i) => Math.max(storedTats[i] ?? 0, nowUs));
  const newTats = checks.map((c, i) => (tats[i] as number) + intervalUs(c));
  const allowed = checks.every((c, i) => (newTats[i] as number) - c.windowMs * 1000 <= nowUs);
  const chosen = allowed ? newTats : tats;
  return { allowed, offsetsUs: chosen.map((t) => t - nowUs), newTats };
}

/** What the client is told about one limit. */
export interface LimitStatus {
  readonly limit: number;
  readonly windowMs: number;
  readonly remaining: number;
  /** Seconds until the full quota is available again. */
  readonly resetSec: number;
  /** Seconds until one more request would be allowed (0 when one is allowed now). */
  readonly retryAfterSec: number;
}

/** Turns a TAT offset (µs) into header values. Rounds up so a client that waits the time gets in. */
export function limitStatus(check: LimitCheck, offsetUs: number): LimitStatus {
  const interval = intervalUs(check);
  const windowUs = check.windowMs * 1000;
  const offset = Math.max(0, offsetUs);
  return {
    limit: check.limit,
    windowMs: check.windowMs,
    remaining: Math.min(check.limit, Math.max(0, Math.floor((windowUs - offset) / interval))),
    resetSec: Math.ceil(offset / 1e6),
    retryAfterSec: Math.ceil(Math.max(0, offset + interval - windowUs) / 1e6),
  };
}

/** The limit closest to running out: the one a client should pace itself by. */
export function tightest(statuses: readonly LimitStatus[]): LimitStatus | undefined {
  let best: LimitStatus | undefined;
  for (const s of statuses) {
    if (
      !best ||
      s.retryAfterSec > best.retryAfterSec ||
      (s.retryAfterSec === best.retryAfterSec && s.remaining < best.remaining)
    )
      best = s;
  }
  return best;
}
