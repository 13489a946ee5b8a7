import { readFileSync } from 'node:fs';

export interface Vector {
  name: string;
  scheme: string;
  method: string;
  endpoint: string;
  params: Record<string, string | number>;
  secret: string;
  expected: string;
  note: string;
}

/** Known-answer vectors, copied verbatim from shared/vectors (test/fixtures/vectors/README.md). */
export function loadVectors(file: 'instagram-sig.json' | 'appsecret-proof.json'): Vector[] {
  return JSON.parse(
    readFileSync(new URL(`../../../test/fixtures/vectors/${file}`, import.meta.url), 'utf8'),
  ) as Vector[];
}

/** The exact signed string a `sig` vector's note ends with. */
export function signedStringOf(v: Vector): string {
  const marker = 'Signed string: ';
  const at = v.note.lastIndexOf(marker);
  if (at === -1) throw new Error(`vector ${v.name} has no signed string`);
  return v.note.slice(at + marker.length);
}
