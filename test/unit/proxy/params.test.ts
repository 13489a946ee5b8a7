import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProxyError } from '../../../src/errors.js';
import { findDuplicateTopLevelKey } from '../../../src/proxy/json-keys.js';
import { formEncode, parseFormEncoded } from '../../../src/proxy/params.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as ProxyError).code;
  }
  return 'no error';
};

describe('form parsing', () => {
  it('+ is a space, %2B a plus, values decoded once', () => {
    const p = parseFormEncoded('text=a+b%2Bc&x=%2541&empty=&bare');
    assert.deepEqual(
      [...p],
      [
        ['text', 'a b+c'],
        ['x', '%41'],
        ['empty', ''],
        ['bare', ''],
      ],
    );
  });
  it('duplicates (also differently encoded) are DuplicateParameter', () => {
    assert.equal(
      code(() => parseFormEncoded('a=1&a=2')),
      'DuplicateParameter',
    );
    assert.equal(
      code(() => parseFormEncoded('a=1&%61=1')),
      'DuplicateParameter',
    );
  });
  it('bad percent-encoding and empty names are BadRequest', () => {
    assert.equal(
      code(() => parseFormEncoded('a=%E0%A4%A')),
      'BadRequest',
    );
    assert.equal(
      code(() => parseFormEncoded('=x')),
      'BadRequest',
    );
  });
  it('__proto__ is an ordinary parameter', () => {
    const p = parseFormEncoded('__proto__=x&constructor=y');
    assert.equal(p.get('__proto__'), 'x');
  });
  it('formEncode round-trips through URLSearchParams', () => {
    const pairs: Array<[string, string]> = [
      ['text', "😛 café — it's (a) *test* !~"],
      ['k&=', 'v+%'],
    ];
    assert.deepEqual([...new URLSearchParams(formEncode(pairs))], pairs);
  });
});

describe('duplicate JSON keys', () => {
  it('finds top-level duplicates, ignores nested ones and keys inside strings', () => {
    assert.equal(findDuplicateTopLevelKey('{"a":1,"b":{"a":2}}'), undefined);
    assert.equal(findDuplicateTopLevelKey('{"a":"\\"a\\":","a":2}'), 'a');
    assert.equal(findDuplicateTopLevelKey('{"a":[{"x":1},{"x":2}],"b":1}'), undefined);
    assert.equal(findDuplicateTopLevelKey('{"\\u0061":1,"a":2}'), 'a');
  });
});
