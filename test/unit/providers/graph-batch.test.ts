import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operationToken, parseBatch, serializeBatch } from '../../../src/providers/graph-batch.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('Graph batch parsing', () => {
  it('finds each operation token in relative_url or body', () => {
    const ops = parseBatch(
      JSON.stringify([
        { method: 'GET', relative_url: 'me?fields=id' },
        { method: 'GET', relative_url: '/v21.0/me?access_token=A' },
        { method: 'POST', relative_url: '123/comments', body: 'message=hi&access_token=B' },
      ]),
    );
    assert.deepEqual(ops.map(operationToken), [undefined, 'A', 'B']);
  });
  it('serialises back what it parsed, keeping the path as sent', () => {
    const text = '[{"method":"POST","relative_url":"123/comments?x=1","body":"message=a%20b","name":"c"}]';
    assert.equal(
      serializeBatch(parseBatch(text)),
      '[{"method":"POST","name":"c","relative_url":"123/comments?x=1","body":"message=a%20b"}]',
    );
  });
  const bad: Array<[string, string, string]> = [
    ['not JSON', '[{', 'BadRequest'],
    ['not an array', '{"relative_url":"me"}', 'BadRequest'],
    ['empty', '[]', 'BadRequest'],
    ['operation not an object', '["me"]', 'BadRequest'],
    ['no relative_url', '[{"method":"GET"}]', 'BadRequest'],
    ['body not a string', '[{"relative_url":"me","body":{"a":1}}]', 'BadRequest'],
    ['unknown field (headers)', '[{"relative_url":"me","headers":[]}]', 'BadRequest'],
    ['absolute URL', '[{"relative_url":"https://evil.example/me"}]', 'InvalidPath'],
    ['scheme-relative URL', '[{"relative_url":"//evil.example/me"}]', 'InvalidPath'],
    ['dot segments', '[{"relative_url":"me/../../x"}]', 'InvalidPath'],
    ['encoded slash', '[{"relative_url":"me%2F..%2Fx"}]', 'InvalidPath'],
    ['token twice', '[{"relative_url":"me?access_token=A","body":"access_token=B"}]', 'DuplicateParameter'],
    ['key twice in the query', '[{"relative_url":"me?a=1&a=2"}]', 'DuplicateParameter'],
  ];
  for (const [name, text, code] of bad)
    it(`rejects ${name}`, () =>
      assert.equal(
        codeOf(() => parseBatch(text)),
        code,
      ));
  it('rejects more than 50 operations', () => {
    const ops = Array.from({ length: 51 }, () => ({ relative_url: 'me' }));
    assert.equal(
      codeOf(() => parseBatch(JSON.stringify(ops))),
      'BadRequest',
    );
    assert.equal(parseBatch(JSON.stringify(ops.slice(1))).length, 50);
  });
});
