import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { it } from 'node:test';

const shared = new URL('../../../../../shared/vectors/', import.meta.url);
const local = new URL('../../../../test/fixtures/vectors/', import.meta.url);

for (const file of ['instagram-sig.json', 'appsecret-proof.json']) {
  it(`test/fixtures/vectors/${file} is a verbatim copy of shared/vectors/${file}`, (t) => {
    const sharedFile = new URL(file, shared);
    if (!existsSync(sharedFile)) {
      t.diagnostic('shared/ is not beside this checkout; the copy is used as is');
      return;
    }
    assert.deepEqual(
      JSON.parse(readFileSync(new URL(file, local), 'utf8')),
      JSON.parse(readFileSync(sharedFile, 'utf8')),
    );
  });
}
