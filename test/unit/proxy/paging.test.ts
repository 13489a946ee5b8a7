import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pagingTransform, proxyLink, rewritePagingLinks } from '../../../src/proxy/paging.js';

const graph = {
  base: { origin: 'https://graph.instagram.com', basePath: '' },
  routePrefix: '/secure-proxy/instagram-graph',
  keepAccessToken: true,
};
const legacy = {
  base: { origin: 'https://api.instagram.com', basePath: '/v1' },
  routePrefix: 'https://ig.example.com/proxy/instagram',
  keepAccessToken: false,
};

describe('proxyLink', () => {
  it('maps a Graph link to the same route, our signatures removed', () => {
    assert.equal(
      proxyLink(
        'https://graph.instagram.com/v21.0/me/media?access_token=T&appsecret_proof=abc&appsecret_time=1&limit=2&after=QVFI',
        graph,
      ),
      '/secure-proxy/instagram-graph/v21.0/me/media?access_token=T&limit=2&after=QVFI',
    );
  });
  it('drops the access token when the client did not send it in the query', () => {
    assert.equal(
      proxyLink(
        'https://api.instagram.com/v1/users/self/media/recent?access_token=T&sig=ff&max_id=9_1',
        legacy,
      ),
      'https://ig.example.com/proxy/instagram/users/self/media/recent?max_id=9_1',
    );
  });
  it('leaves links to other hosts or outside the base path alone, except for our signatures', () => {
    assert.equal(proxyLink('https://cdn.example/x.jpg?a=1', graph), undefined);
    assert.equal(proxyLink('https://api.instagram.com/v2/x?a=1', legacy), undefined);
    assert.equal(proxyLink('https://api.instagram.com/v1x?a=1', legacy), undefined);
    assert.equal(
      proxyLink('https://graph.facebook.com/v21.0/me?access_token=T&appsecret_proof=abc', graph),
      'https://graph.facebook.com/v21.0/me?access_token=T',
    );
    assert.equal(proxyLink('not a url', graph), undefined);
    assert.equal(proxyLink('javascript:alert(1)', graph), undefined);
  });
});

describe('rewritePagingLinks', () => {
  const map = (link: string) => proxyLink(link, graph);
  it('rewrites paging.next and paging.previous in place, escaped slashes included, other bytes kept', () => {
    const text =
      '{"data":[{"id":17900000000000000123}],"paging":{"cursors":{"after":"A"},' +
      '"next":"https:\\/\\/graph.instagram.com\\/v21.0\\/me\\/media?after=A&appsecret_proof=p",' +
      ' "previous" : "https://graph.instagram.com/v21.0/me/media?before=B"}}';
    assert.equal(
      rewritePagingLinks(text, map),
      '{"data":[{"id":17900000000000000123}],"paging":{"cursors":{"after":"A"},' +
        '"next":"/secure-proxy/instagram-graph/v21.0/me/media?after=A",' +
        ' "previous" : "/secure-proxy/instagram-graph/v21.0/me/media?before=B"}}',
    );
  });
  it('rewrites nested paging (field expansion) and legacy pagination.next_url', () => {
    const text =
      '{"data":[{"comments":{"data":[],"paging":{"next":"https://graph.instagram.com/1/comments?after=C"}}}],' +
      '"pagination":{"next_url":"https://graph.instagram.com/x?max_id=1","next_max_id":"1"}}';
    assert.equal(
      rewritePagingLinks(text, map),
      '{"data":[{"comments":{"data":[],"paging":{"next":"/secure-proxy/instagram-graph/1/comments?after=C"}}}],' +
        '"pagination":{"next_url":"/secure-proxy/instagram-graph/x?max_id=1","next_max_id":"1"}}',
    );
  });
  it('leaves look-alikes alone: a next that is not under paging, a key named like a link, strings', () => {
    const text =
      '{"next":"https://graph.instagram.com/a","paging":{"cursors":{"next":"https://graph.instagram.com/b"}},' +
      '"caption":"\\"paging\\":{\\"next\\":\\"https://graph.instagram.com/c\\"}"}';
    assert.equal(rewritePagingLinks(text, map), undefined);
  });
  it('returns undefined for text that is not JSON or has no links', () => {
    assert.equal(rewritePagingLinks('{"paging": {"next": "https://graph.instagram.com/a"', map), undefined);
    assert.equal(rewritePagingLinks('{"data":[]}', map), undefined);
    assert.equal(rewritePagingLinks('{"paging":{"next":null}}', map), undefined);
  });
});

describe('pagingTransform on a Graph batch answer', () => {
  it('rewrites links inside each operation body and drops the access token there', () => {
    const body =
      '{"data":[],"paging":{"next":"https://graph.instagram.com/v21.0/me/media?access_token=T&appsecret_proof=p&after=A"}}';
    const text = JSON.stringify([
      { code: 200, headers: [], body },
      { code: 200, body: null },
    ]);
    assert.equal(
      pagingTransform(graph)(text),
      '[{"code":200,"headers":[],"body":"{\\"data\\":[],\\"paging\\":{\\"next\\":\\"/secure-proxy/instagram-graph/v21.0/me/media?after=A\\"}}"},{"code":200,"body":null}]',
    );
  });
});
