import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestHeadersForUpstream, responseHeadersForClient } from '../../../src/proxy/headers.js';

describe('header hygiene', () => {
  it('request: strips credentials, hop-by-hop, Connection-named and recomputed headers', () => {
    const out = requestHeadersForUpstream({
      authorization: 'Bearer x',
      'x-authorization': 'Bearer y',
      cookie: 'c=1',
      'proxy-authorization': 'p',
      connection: 'close, X-Drop',
      'x-drop': '1',
      'keep-alive': '5',
      te: 'trailers',
      trailer: 't',
      upgrade: 'h2c',
      'transfer-encoding': 'chunked',
      host: 'evil',
      'content-length': '5',
      'content-type': 'text/plain',
      expect: '100-continue',
      accept: 'application/json',
      'user-agent': 'ua',
    });
    assert.deepEqual(out, { accept: 'application/json', 'user-agent': 'ua' });
  });
  it('response: keeps content-encoding and the rest, drops hop-by-hop and set-cookie', () => {
    const out = responseHeadersForClient({
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      connection: 'keep-alive, x-hop',
      'x-hop': '1',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'set-cookie': ['a=b'],
      etag: '"1"',
    });
    assert.deepEqual(out, { 'content-type': 'application/json', 'content-encoding': 'gzip', etag: '"1"' });
  });
});
