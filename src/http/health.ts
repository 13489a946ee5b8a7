/**
 * Liveness and readiness. Liveness is "the process answers". Readiness runs the registered checks
 * (Redis reachable, …) and fails while the app is shutting down, so a load balancer drains it.
 */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

export interface ReadinessCheck {
  /** Low-cardinality name shown in the /readyz body, e.g. `redis`. */
  readonly name: string;
  /** Resolves true when the dependency is usable. Throwing or taking too long counts as not ready. */
  check(): Promise<boolean> | boolean;
}

export type CheckState = 'ok' | 'fail' | 'timeout';

export interface ReadinessReport {
  readonly status: 200 | 503;
  readonly body: {
    status: 'ready' | 'not_ready' | 'shutting_down';
    checks: Record<string, CheckState>;
  };
}

export interface Health {
  /** Adds a readiness check (e.g. the rate-limit store registers `redis`). */
  addCheck(check: ReadinessCheck): void;
  /** From now on /readyz answers 503 `shutting_down`. */
  markShuttingDown(): void;
  readonly shuttingDown: boolean;
  readiness(): Promise<ReadinessReport>;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckState>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const ok = Promise.resolve()
      .then(() => check.check())
      .then(
        (v): CheckState => (v === true ? 'ok' : 'fail'),
        (): CheckState => 'fail', // a dependency's error text never reaches the body
      );
    return await Promise.race([ok, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createHealth(
  checks: readonly ReadinessCheck[] = [],
  timeoutMs = READINESS_CHECK_TIMEOUT_MS,
): Health {
  const list: ReadinessCheck[] = [{ name: 'config', check: () => true }, ...checks];
  let shuttingDown = false;
  return {
    addCheck(check) {
      list.push(check);
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    async readiness() {
      const states = await Promise.all(list.map((c) => runCheck(c, timeoutMs)));
      const checks: Record<string, CheckState> = {};
      list.forEach((c, i) => (checks[c.name] = states[i] as CheckState));
      if (shuttingDown) return { status: 503, body: { status: 'shutting_down', checks } };
      const ready = states.every((s) => s === 'ok');
      return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not_ready', checks } };
    },
  };
}
