/**
 * The benchmark's upstream: a tiny node:http server that answers every request with the same ~1 KB
 * JSON body over keep-alive. Run as its own process; prints `{"port":N}` on stdout once listening.
 */
import { createServer } from 'node:http';

export const UPSTREAM_BODY_BYTES = 1024;

/** A users/self-like envelope padded to exactly UPSTREAM_BODY_BYTES. */
export function upstreamBody(): Buffer {
  const base = {
    meta: { code: 200 },
    data: {
      id: '1574083',
      username: 'snoopdogg',
      full_name: 'Snoop Dogg',
      profile_picture: 'https://example.invalid/profile_1574083_75sq_1295469061.jpg',
      bio: 'This is my bio',
      website: 'https://example.invalid',
      counts: { media: 1320, follows: 420, followed_by: 3410 },
    },
    pad: '',
  };
  const without = Buffer.byteLength(JSON.stringify(base));
  base.pad = 'x'.repeat(Math.max(0, UPSTREAM_BODY_BYTES - without));
  return Buffer.from(JSON.stringify(base));
}

function main(): void {
  const body = upstreamBody();
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
  };
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    // Drain any request body, then answer; the upstream accepts every request.
    req.resume();
    res.writeHead(200, headers);
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`${JSON.stringify({ port })}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

main();
