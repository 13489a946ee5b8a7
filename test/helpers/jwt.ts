import jsonwebtoken from 'jsonwebtoken';
import { TEST_JWT_KEY } from './proxy.js';

/**
 * Mints a JWT with `jsonwebtoken` (the library the seed's README used), independent of our code.
 * `claims` may override anything, including `exp` (seconds) and `tokens`.
 */
export function jwtFor(
  claims: Record<string, unknown>,
  key = TEST_JWT_KEY,
  options: jsonwebtoken.SignOptions = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  return jsonwebtoken.sign({ iat: now, exp: now + 300, ...claims }, key, { algorithm: 'HS256', ...options });
}
