/** Polls `done` every 10 ms until it is true or `timeoutMs` passes (then throws with `what`). */
export async function waitUntil(done: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
