import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gcraStep, limitStatus, type LimitCheck } from '../../../src/ratelimit/gcra.js';
import { createMemoryStore } from '../../../src/ratelimit/memory-store.js';

// 3 requests per minute: one request's worth refills every 20 s.
const three: LimitCheck = { key: 'a', limit: 3, windowMs: 60_000 };
const T0 = 1_700_000_000_000; // ms

test('3/1m: three requests pass at once, the fourth waits 20 s for one to refill', async () => {
  let now = T0;
  const store = createMemoryStore(() => now);
  const seen = [];
  for (let i = 0; i < 4; i++) {
    const r = await store.consume([three]);
    seen.push([r.allowed, limitStatus(three, r.offsetsUs[0] as number)]);
  }
  assert.deepEqual(
    seen.map(([allowed, s]) => [allowed, (s as { remaining: number }).remaining]),
    [
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ],
  );
  const refused = seen[3]?.[1] as { retryAfterSec: number; resetSec: number };
  assert.equal(refused.retryAfterSec, 20);
  assert.equal(refused.resetSec, 60);
  now = T0 + 19_999;
  assert.equal((await store.consume([three])).allowed, false);
  now = T0 + 20_000;
  assert.equal((await store.consume([three])).allowed, true);
  assert.equal((await store.consume([three])).allowed, false);
});

test('no burst at a window edge: after a full minute idle, still only 3', async () => {
  let now = T0;
  const store = createMemoryStore(() => now);
  for (let i = 0; i < 3; i++) await store.consume([three]);
  now = T0 + 60_000;
  const results = [];
  for (let i = 0; i < 4; i++) results.push((await store.consume([three])).allowed);
  assert.deepEqual(results, [true, true, true, false]);
});

test('all or nothing: a request refused by one limit does not use up the other', () => {
  const subject: LimitCheck = { key: 's', limit: 10, windowMs: 60_000 };
  const token: LimitCheck = { key: 't', limit: 1, windowMs: 60_000 };
  const nowUs = T0 * 1000;
  const tokenFull = nowUs + 60_000_000; // the token limit is used up
  const r = gcraStep([subject, token], [undefined, tokenFull], nowUs);
  assert.equal(r.allowed, false);
  assert.deepEqual(r.offsetsUs, [0, 60_000_000]); // subject untouched: full quota
  assert.equal(limitStatus(subject, r.offsetsUs[0] as number).remaining, 10);
});

test('a limit that does not divide the window evenly still allows exactly N', async () => {
  const seven: LimitCheck = { key: 'x', limit: 7, windowMs: 60_000 };
  const store = createMemoryStore(() => T0);
  const results = [];
  for (let i = 0; i < 8; i++) results.push((await store.consume([seven])).allowed);
  assert.deepEqual(results, [true, true, true, true, true, true, true, false]);
});

test('the memory store is bounded (oldest out) and forgets keys whose quota is full again', async () => {
  let now = T0;
  const bounded = createMemoryStore(() => now, 3);
  for (const key of ['a', 'b', 'c', 'd', 'e']) await bounded.consume([{ ...three, key }]);
  assert.equal(bounded.size(), 3);
  // 'a' was pushed out, so it has its full quota again; 'e' is still counted
  assert.equal(
    limitStatus(three, (await bounded.consume([{ ...three, key: 'a' }])).offsetsUs[0] as number).remaining,
    2,
  );

  const store = createMemoryStore(() => now, 100);
  for (const key of ['a', 'b', 'c', 'd', 'e']) await store.consume([{ ...three, key }]);
  now = T0 + 120_000; // all five have refilled: they hold no information any more
  await store.consume([{ ...three, key: 'new0' }]);
  await store.consume([{ ...three, key: 'new1' }]);
  assert.equal(store.size(), 2);
  await store.close();
  await bounded.close();
});
