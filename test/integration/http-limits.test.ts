import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendRaw } from '../helpers/http.js';
import { startProxy, type RunningProxy } from '../helpers/proxy.js';

describe('HTTP server limits against slow and oversized clients', () => {
  // Short timeouts on one proxy (its tests expect them to fire), default timeouts on the other so a
  // slow, loaded machine cannot turn its answers into 408s.
  let slow: RunningProxy;
  let small: RunningProxy;
  let port: number;
  let smallPort: number;
  before(async () => {
    slow = await startProxy({ HTTP_HEADERS_TIMEOUT_MS: '200', HTTP_REQUEST_TIMEOUT_MS: '400' });
    small = await startProxy({ HTTP_MAX_HEADER_BYTES: '1024' });
    port = Number(new URL(slow.url).port);
    smallPort = Number(new URL(small.url).port);
  });
  after(async () => {
    await slow.close();
    await small.close();
  });

  it('a client that never finishes its headers gets 408 and is disconnected', async () => {
    // idle limit far above the headers timeout: the server, not the client, ends this
    const answer = await sendRaw(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 10_000);
    assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(answer, /\r\nConnection: close\r\n/i);
    assert.equal(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error, 'RequestTimeout');
  });

  it('a client that sends headers but never the announced body gets 408', async () => {
    const answer = await sendRaw(
      port,
      'POST /proxy/instagram/media/1/comments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntext=hi',
      10_000,
    );
    assert.match(answer, /^HTTP\/1\.1 408 /);
  });

  it('headers larger than HTTP_MAX_HEADER_BYTES get 431', async () => {
    const answer = await sendRaw(
      smallPort,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(2000)}\r\n\r\n`,
      10_000,
    );
    assert.match(answer, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.match(answer, /"error":"RequestHeadersTooLarge"/);
  });

  it('malformed HTTP is still a 400', async () => {
    const answer = await sendRaw(smallPort, 'NOT HTTP AT ALL\r\n\r\n', 10_000);
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it('a request within the limits is answered normally', async () => {
    const answer = await sendRaw(
      smallPort,
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      10_000,
    );
    assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
  });
});
