import { loadRawConfig } from '../config/load.js';
import { createMockGraph } from '../mock/graph.js';
import { createMockInstagram } from '../mock/instagram.js';
import { UsageError, parseArgs, type CommandSpec } from './args.js';
import { CONFIG_OPTION, reportProblems } from './common.js';

export const DEFAULT_MOCK_PORT = 2001;

export const spec: CommandSpec = {
  name: 'mock-instagram',
  summary: 'Run a fake Instagram API on loopback that enforces signed requests as Instagram did.',
  usage:
    'ig-proxy mock-instagram [--listen-port 2001] [--instagram-client-secret <secret>]\n       ig-proxy mock-instagram --flavor graph [--instagram-graph-app-secret <secret>]',
  options: {
    flavor: {
      type: 'string',
      doc: 'legacy (default: `sig`, INSTAGRAM_CLIENT_SECRET) or graph (`appsecret_proof`, INSTAGRAM_GRAPH_APP_SECRET, else FACEBOOK_GRAPH_APP_SECRET)',
    },
    'listen-port': { type: 'string', doc: `Port for the mock (default ${DEFAULT_MOCK_PORT}; 0 picks one)` },
    'listen-host': { type: 'string', doc: 'Address for the mock (default 127.0.0.1)' },
    config: CONFIG_OPTION,
  },
};

export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseArgs(argv, spec);
  const loaded = loadRawConfig({
    env,
    flags: args.configFlags,
    configFile: args.options.config as string | undefined,
  });
  const flavor = String(args.options.flavor ?? 'legacy');
  if (flavor !== 'legacy' && flavor !== 'graph') throw new UsageError('--flavor is legacy or graph');
  const graph = flavor === 'graph';
  const secret = graph
    ? (loaded.raw.INSTAGRAM_GRAPH_APP_SECRET ?? loaded.raw.FACEBOOK_GRAPH_APP_SECRET)
    : loaded.raw.INSTAGRAM_CLIENT_SECRET;
  if (!secret)
    loaded.problems.push(
      graph
        ? 'INSTAGRAM_GRAPH_APP_SECRET: the graph mock checks `appsecret_proof` with it; give the same one as the proxy'
        : 'INSTAGRAM_CLIENT_SECRET: the mock checks `sig` with it; give the same one as the proxy',
    );
  if (loaded.problems.length > 0 || !secret) {
    reportProblems(loaded.problems);
    return 1;
  }
  const mock = graph ? createMockGraph({ secret }) : createMockInstagram({ secret });
  const port = Number(args.options['listen-port'] ?? DEFAULT_MOCK_PORT);
  await mock.listen(port, String(args.options['listen-host'] ?? '127.0.0.1'));
  const hint = graph
    ? `INSTAGRAM_GRAPH_API_URL=${mock.url} (or FACEBOOK_GRAPH_API_URL)`
    : `INSTAGRAM_API_URL=${mock.url}`;
  process.stdout.write(`mock-instagram (${flavor}) listening; set ${hint}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await mock.close();
  return 0;
}
