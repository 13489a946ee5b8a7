import { hmacSha256Hex } from './instagram-sig.js';

/** The message of `appsecret_proof`: the token as sent, or `token|unix_seconds` when time-stamped. */
export function proofMessage(accessToken: string, appsecretTime?: number | string): string {
  return appsecretTime === undefined ? accessToken : `${accessToken}|${appsecretTime}`;
}

/** Lowercase hex HMAC-SHA256 of the access token (optionally time-stamped), keyed with the app secret. */
export function appsecretProof(
  appSecret: string,
  accessToken: string,
  appsecretTime?: number | string,
): string {
  return hmacSha256Hex(appSecret, proofMessage(accessToken, appsecretTime));
}
