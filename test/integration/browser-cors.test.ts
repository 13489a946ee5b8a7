import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { createMockInstagram, type MockInstagram } from '../../src/mock/instagram.js';
import { launchChromium, startPageServer, type PageServer } from '../helpers/browser.js';
import { jwtFor } from '../helpers/jwt.js';
import { startProxy, TEST_SECRET, type RunningProxy } from '../helpers/proxy.js';

const TOKEN = 'browser-access-token-42';

/**
 * The page a customer's app would serve: it reads the proxy URL, JWT, method and JSON body from its
 * own query string, calls the proxy with fetch and a Bearer header, and shows what it got.
 */
const PAGE = `<!doctype html><html><head><title>cors</title></head><body><pre id="out">pending</pre>
<script>
(async () => {
  const q = new URLSearchParams(location.search);
  const out = document.getElementById('out');
  const init = { method: q.get('method') || 'GET', headers: {} };
  if (q.get('jwt')) init.headers.Authorization = 'Bearer ' + q.get('jwt');
  if (q.get('body')) { init.headers['Content-Type'] = 'application/json'; init.body = q.get('body'); }
  try {
    const res = await fetch(q.get('url'), init);
    const body = await res.json();
    out.textContent = JSON.stringify({ status: res.status, requestId: res.headers.get('x-request-id'), body });
  } catch (e) {
    out.textContent = 'blocked: ' + e.name + ': ' + e.message;
  }
  out.dataset.done = '1';
})();
</script></body></html>`;

describe('a real browser calls the secure route across origins (headless Chromium)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let mock: MockInstagram;
  let proxy: RunningProxy;
  let allowed: PageServer;
  let other: PageServer;

  before(async () => {
    browser = await launchChromium(); // throws (test fails) with a clear message when chromium is missing
    context = await browser.newContext();
    mock = createMockInstagram({ secret: TEST_SECRET });
    await mock.listen();
    allowed = await startPageServer(PAGE);
    other = await startPageServer(PAGE);
    proxy = await startProxy({ INSTAGRAM_API_URL: mock.url, CORS_ORIGINS: allowed.origin });
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    await Promise.all([mock?.close(), allowed?.close(), other?.close()]);
  });

  /** Opens the page on `origin`, lets its script run, returns what it shows. */
  async function run(origin: string, params: Record<string, string>): Promise<string> {
    const page = await context.newPage();
    try {
      await page.goto(`${origin}/?${new URLSearchParams(params).toString()}`);
      await page.waitForSelector('#out[data-done]', { timeout: 10_000 });
      return (await page.textContent('#out')) ?? '';
    } finally {
      await page.close();
    }
  }
  const secure = (path: string) => `${proxy.url}/secure-proxy/instagram${path}`;

  it('from the allowed origin, fetch with a Bearer JWT shows the data and the exposed X-Request-Id', async () => {
    const shown = await run(allowed.origin, {
      url: secure(`/users/self?access_token=${TOKEN}`),
      jwt: jwtFor({ tokens: [TOKEN], sub: 'browser-user' }),
    });
    const result = JSON.parse(shown);
    assert.equal(result.status, 200);
    assert.equal(result.body.data.username, 'demo_user');
    assert.match(result.requestId, /^[0-9a-f-]{36}$/, 'X-Request-Id is readable by the page');
  });

  it('from the allowed origin, a JSON POST (preflighted for Content-Type) goes through', async () => {
    const before = mock.received.length;
    const shown = await run(allowed.origin, {
      url: secure('/media/1234567894561231236_33215652/comments'),
      method: 'POST',
      jwt: jwtFor({ tokens: [TOKEN] }),
      body: JSON.stringify({ access_token: TOKEN, text: 'from the browser' }),
    });
    const result = JSON.parse(shown);
    assert.equal(result.status, 200);
    assert.equal(result.body.data.text, 'from the browser');
    assert.equal(mock.received.length, before + 1);
    assert.equal(mock.received.at(-1)?.method, 'POST');
  });

  it('from the allowed origin, an error response is readable too (401 JsonWebTokenError)', async () => {
    const shown = await run(allowed.origin, {
      url: secure(`/users/self?access_token=${TOKEN}`),
      jwt: jwtFor({ tokens: [TOKEN] }, 'not-the-proxy-key-not-the-proxy-key'),
    });
    const result = JSON.parse(shown);
    assert.equal(result.status, 401);
    assert.equal(result.body.error, 'JsonWebTokenError');
  });

  it('from a disallowed origin, the browser blocks the call and the upstream never sees it', async () => {
    const before = mock.received.length;
    const shown = await run(other.origin, {
      url: secure(`/users/self?access_token=${TOKEN}`),
      jwt: jwtFor({ tokens: [TOKEN] }),
    });
    assert.match(shown, /^blocked: TypeError: Failed to fetch/);
    assert.equal(mock.received.length, before, 'the preflight was refused, so nothing was forwarded');
  });

  it('from a disallowed origin, even a simple GET (JWT in the query, no preflight) cannot be read', async () => {
    const shown = await run(other.origin, {
      url: secure(`/users/self?access_token=${TOKEN}&jwt=${jwtFor({ tokens: [TOKEN] })}`),
    });
    assert.match(shown, /^blocked: TypeError: Failed to fetch/);
  });
});
