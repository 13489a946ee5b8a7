import { connect } from 'node:net';
import { startEchoUpstream, type EchoUpstream } from './echo-upstream.js';
import { startProxy, type RunningProxy } from './proxy.js';

export const ACCESS_TOKEN = 'IGQVJ-access-token-0123456789';
export const PATH = `/secure-proxy/instagram/users/self?access_token=${ACCESS_TOKEN}`;

export interface Answer {
  status: number;
  error: string | undefined;
  headers: Headers;
}

/** A test clock: `clock.now` ms, moved by tests (never sleeps). */
export function testClock(startMs = Date.now()) {
  const clock = { now: startMs, fn: () => clock.now, sec: () => Math.floor(clock.now / 1000) };
  return clock;
}

/** A real proxy in front of a real echo upstream. */
export async function startPair(
  values: Record<string, string> = {},
  clock = testClock(),
): Promise<{
  proxy: RunningProxy;
  upstream: EchoUpstream;
  clock: ReturnType<typeof testClock>;
  close(): Promise<void>;
}> {
  const upstream = await startEchoUpstream();
  const proxy = await startProxy({ INSTAGRAM_API_URL: upstream.url, ...values }, { clock: clock.fn });
  return {
    proxy,
    upstream,
    clock,
    close: async () => {
      await proxy.close();
      await upstream.close();
    },
  };
}

/** GET `path` with the given headers; the JSON error name, when the answer is ours. */
export async function call(base: string, headers: Record<string, string> = {}, path = PATH): Promise<Answer> {
  const res = await fetch(base + path, { headers });
  const text = await res.text();
  let error: string | undefined;
  try {
    error = (JSON.parse(text) as { error?: string }).error;
  } catch {
    error = undefined;
  }
  return { status: res.status, error, headers: res.headers };
}

export const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });

/** Sends raw HTTP/1.1 bytes (e.g. two Authorization headers) and returns status and error name. */
export function rawRequest(
  base: string,
  head: string,
): Promise<{ status: number; error: string | undefined }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      let error: string | undefined;
      try {
        error = (JSON.parse(body) as { error?: string }).error;
      } catch {
        error = undefined;
      }
      resolve({ status, error });
    });
  });
}
