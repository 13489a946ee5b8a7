import { createHmac, sign, type KeyObject } from 'node:crypto';
import assert from 'node:assert/strict';
import type { Answer } from './security.js';

/**
 * Hand-made JWTs, built with node:crypto only (independent of our code and of JWT libraries), so a
 * test can send exactly the bytes an attacker would: any header, any payload text, any key.
 */
export const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const part = (x: object | string) => b64url(typeof x === 'string' ? x : JSON.stringify(x));

export function forgeHs(
  header: object | string,
  payload: object | string,
  key: string | Buffer,
  hash = 'sha256',
) {
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
}

export function forgeUnsigned(header: object | string, payload: object | string, signature = ''): string {
  return `${part(header)}.${part(payload)}.${signature}`;
}

/** RS256 over any header/payload text with a private key (PKCS#1 v1.5, SHA-256). */
export function forgeRs256(header: object | string, payload: object | string, privateKey: KeyObject): string {
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** Claims valid for five minutes at `nowSec`, permitting `accessToken`. */
export function claims(nowSec: number, accessToken: string, extra: Record<string, unknown> = {}) {
  return { tokens: [accessToken], iat: nowSec, exp: nowSec + 300, ...extra };
}

/** The answer is our JSON error with this status and name. */
export function assertError(
  answer: Answer | { status: number; error: string | undefined },
  status: number,
  error: string,
) {
  assert.deepEqual({ status: answer.status, error: answer.error }, { status, error });
}
