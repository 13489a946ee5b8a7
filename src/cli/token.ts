import { looksLikeJwk, looksLikePem } from '../auth/keys.js';
import { mintJwt } from '../auth/mint.js';
import { loadRawConfig } from '../config/load.js';
import { UsageError, parseArgs, parseDurationSec, type CommandSpec } from './args.js';
import { CONFIG_OPTION, reportProblems } from './common.js';

export const spec: CommandSpec = {
  name: 'token',
  summary: 'Mint a JWT for the secure route from JWT_KEY, or a JWT_KEYS secret (as your main app would).',
  usage:
    'ig-proxy token --tokens <access_token>[,<access_token>...] [--expires-in 1h] [--sub user-1] [--kid k]',
  options: {
    tokens: { type: 'string', doc: 'Comma list of Instagram access tokens the holder may use' },
    'expires-in': { type: 'string', doc: 'Lifetime: 90, 90s, 15m, 1h, 2d (default 1h)' },
    sub: { type: 'string', doc: 'Subject (your user id); rate limits are per subject' },
    iss: { type: 'string', doc: 'Issuer claim (default JWT_ISSUER when set)' },
    aud: { type: 'string', doc: 'Audience claim (default JWT_AUDIENCE when set)' },
    kid: { type: 'string', doc: 'Sign with this JWT_KEYS secret and name it in the header' },
    config: CONFIG_OPTION,
  },
};

/** The HMAC secret JWT_KEYS holds under `kid` (PEM/JWK entries are public keys: nothing to sign with). */
function namedSecret(keysJson: string | undefined, kid: string): string | undefined {
  try {
    const keys = JSON.parse(keysJson ?? '{}') as Record<string, unknown>;
    const value = Object.hasOwn(keys, kid) ? keys[kid] : undefined;
    return typeof value === 'string' && !looksLikePem(value) && !looksLikeJwk(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseArgs(argv, spec);
  const tokens = String(args.options.tokens ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tokens.length === 0) throw new UsageError('--tokens is required');
  const loaded = loadRawConfig({
    env,
    flags: args.configFlags,
    configFile: args.options.config as string | undefined,
  });
  const kid = args.options.kid as string | undefined;
  const key = kid === undefined ? loaded.raw.JWT_KEY : namedSecret(loaded.raw.JWT_KEYS, kid);
  if (!key) {
    loaded.problems.push(
      kid === undefined
        ? 'JWT_KEY: required to mint a token'
        : `JWT_KEYS: has no HMAC secret named ${JSON.stringify(kid.slice(0, 40))}`,
    );
  }
  const algorithm = (loaded.raw.JWT_ALGORITHMS ?? 'HS256').split(',')[0]?.trim() ?? 'HS256';
  if (!['HS256', 'HS384', 'HS512'].includes(algorithm)) {
    loaded.problems.push(
      'JWT_ALGORITHMS: `token` mints HS256/384/512 only; mint asymmetric tokens in your issuer',
    );
  }
  if (loaded.problems.length > 0 || !key) {
    reportProblems(loaded.problems);
    return 1;
  }
  const first = (list: string | undefined) => list?.split(',')[0]?.trim() || undefined;
  const jwt = await mintJwt({
    key,
    tokens,
    expiresInSec: parseDurationSec(String(args.options['expires-in'] ?? '1h')),
    algorithm: algorithm as 'HS256',
    subject: args.options.sub as string | undefined,
    issuer: (args.options.iss as string | undefined) ?? first(loaded.raw.JWT_ISSUER),
    audience: (args.options.aud as string | undefined) ?? first(loaded.raw.JWT_AUDIENCE),
    tokensClaim: loaded.raw.JWT_TOKENS_CLAIM || 'tokens',
    kid,
  });
  process.stdout.write(`${jwt}\n`);
  return 0;
}
