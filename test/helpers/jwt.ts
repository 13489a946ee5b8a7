import jsonwebtoken from 'jsonwebtoken';
import { TEST_JWT_KEY } from './proxy.js';

/**
 * Mints a JWT with `jsonwebtoken` (the library the seed's README used), independent of our code.
 * `claims` may override anything, including `exp` (seconds) and `tokens`; an undefined claim is left out.
 */
export function jwtFor(
  claims: Record<string, unknown>,
  key = TEST_JWT_KEY,
  options: jsonwebtoken.SignOptions = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { iat: now, exp: now + 300, ...claims };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k]; // `exp: undefined` = no exp
  return jsonwebtoken.sign(payload, key, { algorithm: 'HS256', ...options });
}
