import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';

export interface MintOptions {
  key: string;
  tokens: readonly string[];
  expiresInSec: number;
  algorithm?: 'HS256' | 'HS384' | 'HS512';
  subject?: string;
  issuer?: string;
  audience?: string;
  tokensClaim?: string;
  /** Header `kid` (a JWT_KEYS name). */
  kid?: string;
  nowSec?: number;
}

/** Mints a JWT the way a customer's main app would (used by `ig-proxy token` and the demo). */
export function mintJwt(o: MintOptions): Promise<string> {
  const now = o.nowSec ?? Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ [o.tokensClaim ?? 'tokens']: [...o.tokens] })
    .setProtectedHeader({ alg: o.algorithm ?? 'HS256', typ: 'JWT', ...(o.kid ? { kid: o.kid } : {}) })
    .setIssuedAt(now)
    .setExpirationTime(now + o.expiresInSec);
  if (o.subject) jwt.setSubject(o.subject);
  if (o.issuer) jwt.setIssuer(o.issuer);
  if (o.audience) jwt.setAudience(o.audience);
  return jwt.sign(createSecretKey(Buffer.from(o.key, 'utf8')));
}
