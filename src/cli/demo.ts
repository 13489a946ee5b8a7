import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../app.js';
import { mintJwt } from '../auth/mint.js';
import { configFrom } from '../config/index.js';
import { createMockGraph } from '../mock/graph.js';
import { createMockInstagram } from '../mock/instagram.js';
import { createLogger } from '../observability/logger.js';
import { parseArgs, type CommandSpec } from './args.js';

export const DEMO_ACCESS_TOKEN = 'demo-access-token';
export const DEMO_GRAPH_TOKEN = 'demo-graph-token';

export const spec: CommandSpec = {
  name: 'demo',
  summary:
    'Start the mock Instagram (legacy and Graph) and the proxy together; print a ready JWT and curl lines that work.',
  usage: 'ig-proxy demo [--port 2000] [--self-test]',
  options: {
    port: { type: 'string', doc: 'Proxy port (default 2000; a free one if 2000 is taken)' },
    'self-test': {
      type: 'boolean',
      doc: 'Run the printed requests once (legacy, Graph, a followed Graph next link), print the answers, exit (0 = all worked)',
    },
    quiet: { type: 'boolean', doc: 'No request logs' },
  },
};

async function listenWithFallback(app: App, port: number): Promise<AddressInfo> {
  try {
    return await app.listen(port, '127.0.0.1');
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    process.stdout.write(`port ${port} is taken; using a free one\n`);
    return app.listen(0, '127.0.0.1');
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  const secret = randomBytes(16).toString('hex');
  const jwtKey = randomBytes(32).toString('hex');
  const graphSecret = randomBytes(16).toString('hex');
  const mock = createMockInstagram({ secret });
  const graphMock = createMockGraph({ secret: graphSecret });
  await mock.listen(0, '127.0.0.1');
  await graphMock.listen(0, '127.0.0.1');
  const config = configFrom({
    INSTAGRAM_CLIENT_SECRET: secret,
    INSTAGRAM_GRAPH_APP_SECRET: graphSecret,
    INSTAGRAM_GRAPH_API_URL: graphMock.url,
    JWT_KEY: jwtKey,
    INSTAGRAM_API_URL: mock.url,
    HOST: '127.0.0.1',
    LOG_LEVEL: args.options.quiet || args.options['self-test'] ? 'warn' : 'info',
  });
  const logger = createLogger(config.logLevel, undefined, Boolean(process.stdout.isTTY));
  const app = createApp(config, { logger });
  const address = await listenWithFallback(app, Number(args.options.port ?? 2000));
  const base = `http://127.0.0.1:${address.port}`;
  const jwt = await mintJwt({
    key: jwtKey,
    tokens: [DEMO_ACCESS_TOKEN, DEMO_GRAPH_TOKEN],
    expiresInSec: 3600,
    subject: 'demo-user',
  });
  const secureUrl = `${base}/secure-proxy/instagram/users/self?access_token=${DEMO_ACCESS_TOKEN}`;
  const graphUrl = `${base}/secure-proxy/instagram-graph/me?fields=id,username&access_token=${DEMO_GRAPH_TOKEN}`;
  const mediaUrl = `${base}/secure-proxy/instagram-graph/v21.0/me/media?limit=1&access_token=${DEMO_GRAPH_TOKEN}`;
  process.stdout.write(
    [
      '',
      `ig-proxy demo: proxy on ${base}, mock Instagram on ${mock.url}, mock Instagram Graph on ${graphMock.url}`,
      '(random secrets, this run only)',
      '',
      'A JWT that permits the two demo access tokens for one hour:',
      `  JWT=${jwt}`,
      '',
      'Call the secure route (signed by the proxy, checked by the mock):',
      `  curl -s -H "Authorization: Bearer ${jwt}" "${secureUrl}"`,
      '',
      'Without the JWT you get 401 NoJWT:',
      `  curl -s "${secureUrl}"`,
      '',
      'Post a comment (form body, signed too):',
      `  curl -s -H "Authorization: Bearer ${jwt}" -d access_token=${DEMO_ACCESS_TOKEN} --data-urlencode "text=Nice 😛" "${base}/secure-proxy/instagram/media/1066406478945217765_25025320/comments"`,
      '',
      'The Instagram Graph API (the proxy adds appsecret_proof; the Graph mock checks it):',
      `  curl -s -H "Authorization: Bearer ${jwt}" "${graphUrl}"`,
      '',
      'A page of media; paging.next points back at the proxy, without our proof (follow it with the JWT):',
      `  curl -s -H "Authorization: Bearer ${jwt}" "${mediaUrl}"`,
      '',
      args.options['self-test']
        ? 'Self-test: calling the lines above once, then stopping.'
        : 'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await app.close();
    await mock.close();
    await graphMock.close();
  };
  if (args.options['self-test']) {
    const ok = await selfTest(base, jwt, { secureUrl, graphUrl, mediaUrl });
    await stop();
    return ok ? 0 : 1;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await stop();
  return 0;
}

async function call(url: string, jwt: string, label: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${jwt}` } });
  const text = await res.text();
  process.stdout.write(`${label}: ${res.status} ${text}\n`);
  return { status: res.status, text };
}

/** The printed legacy and Graph calls, then the Graph page's `paging.next` followed through the proxy. */
async function selfTest(
  base: string,
  jwt: string,
  urls: { secureUrl: string; graphUrl: string; mediaUrl: string },
): Promise<boolean> {
  const legacy = await call(urls.secureUrl, jwt, 'self-test');
  const graph = await call(urls.graphUrl, jwt, 'self-test graph');
  const page = await call(urls.mediaUrl, jwt, 'self-test graph media');
  let next: unknown;
  try {
    next = (JSON.parse(page.text) as { paging?: { next?: unknown } }).paging?.next;
  } catch {
    next = undefined;
  }
  const linkOk =
    typeof next === 'string' && next.startsWith('/secure-proxy/') && !next.includes('appsecret_proof');
  const followed = linkOk ? await call(`${base}${next as string}`, jwt, 'self-test graph next') : undefined;
  return (
    legacy.status === 200 &&
    legacy.text.includes('"username":"demo_user"') &&
    graph.status === 200 &&
    graph.text.includes('"username":"demo_user"') &&
    page.status === 200 &&
    followed?.status === 200
  );
}
