import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../app.js';
import { mintJwt } from '../auth/mint.js';
import { configFrom } from '../config/index.js';
import { createMockInstagram } from '../mock/instagram.js';
import { createLogger } from '../observability/logger.js';
import { parseArgs, type CommandSpec } from './args.js';

export const DEMO_ACCESS_TOKEN = 'demo-access-token';

export const spec: CommandSpec = {
  name: 'demo',
  summary: 'Start the mock Instagram and the proxy together; print a ready JWT and curl lines that work.',
  usage: 'ig-proxy demo [--port 2000] [--self-test]',
  options: {
    port: { type: 'string', doc: 'Proxy port (default 2000; a free one if 2000 is taken)' },
    'self-test': {
      type: 'boolean',
      doc: 'Run the printed request once, print the answer, and exit (0 = it worked)',
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
  const mock = createMockInstagram({ secret });
  await mock.listen(0, '127.0.0.1');
  const config = configFrom({
    INSTAGRAM_CLIENT_SECRET: secret,
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
    tokens: [DEMO_ACCESS_TOKEN],
    expiresInSec: 3600,
    subject: 'demo-user',
  });
  const secureUrl = `${base}/secure-proxy/instagram/users/self?access_token=${DEMO_ACCESS_TOKEN}`;
  process.stdout.write(
    [
      '',
      `ig-proxy demo: proxy on ${base}, mock Instagram on ${mock.url} (random secrets, this run only)`,
      '',
      'A JWT that permits the demo access token for one hour:',
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
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  if (args.options['self-test']) {
    const res = await fetch(secureUrl, { headers: { authorization: `Bearer ${jwt}` } });
    const text = await res.text();
    process.stdout.write(`self-test: ${res.status} ${text}\n`);
    await app.close();
    await mock.close();
    return res.status === 200 && text.includes('"username":"demo_user"') ? 0 : 1;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await app.close();
  await mock.close();
  return 0;
}
