import { loadRawConfig } from '../config/load.js';
import { appsecretProof } from '../signing/appsecret-proof.js';
import { instagramSig, sigCanonicalString, signedEndpoint } from '../signing/instagram-sig.js';
import { UsageError, parseArgs, type CommandSpec } from './args.js';
import { CONFIG_OPTION, reportProblems } from './common.js';

export const spec: CommandSpec = {
  name: 'sign',
  summary:
    'Print the signature the proxy would add: `sig` for instagram, `appsecret_proof` for the Graph providers.',
  usage:
    'ig-proxy sign [--provider instagram] <path> [key=value ...]\n       ig-proxy sign --provider instagram-graph access_token=<token> [appsecret_time=<unix>]',
  options: {
    provider: { type: 'string', doc: 'instagram (default), instagram-graph or facebook-graph' },
    config: CONFIG_OPTION,
  },
};

const SECRET_KEY_OF: Record<string, string> = {
  instagram: 'INSTAGRAM_CLIENT_SECRET',
  'instagram-graph': 'INSTAGRAM_GRAPH_APP_SECRET',
  'facebook-graph': 'FACEBOOK_GRAPH_APP_SECRET',
};

export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseArgs(argv, spec);
  const provider = String(args.options.provider ?? 'instagram');
  const secretKey = SECRET_KEY_OF[provider];
  if (!secretKey) throw new UsageError(`unknown provider ${JSON.stringify(provider.slice(0, 40))}`);
  const loaded = loadRawConfig({
    env,
    flags: args.configFlags,
    configFile: args.options.config as string | undefined,
  });
  const secret = loaded.raw[secretKey];
  if (!secret) loaded.problems.push(`${secretKey}: required to sign for ${provider}`);
  if (loaded.problems.length > 0 || !secret) {
    reportProblems(loaded.problems);
    return 1;
  }
  const positionals = [...args.positionals];
  const path = provider === 'instagram' ? positionals.shift() : undefined;
  if (provider === 'instagram' && !path?.startsWith('/'))
    throw new UsageError('give the API path first, e.g. /users/self');
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of positionals) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected key=value, got ${JSON.stringify(pair.slice(0, 40))}`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (provider === 'instagram') {
    process.stdout.write(`signed string: ${sigCanonicalString(signedEndpoint(path as string), params)}\n`);
    process.stdout.write(`sig=${instagramSig(secret, path as string, params)}\n`);
    return 0;
  }
  const token = params.access_token;
  if (!token) throw new UsageError('access_token=<token> is required for appsecret_proof');
  process.stdout.write(`appsecret_proof=${appsecretProof(secret, token, params.appsecret_time)}\n`);
  return 0;
}
