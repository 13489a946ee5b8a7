/** Fixed data the Graph flavour of the mock serves, shaped like the Instagram Graph API's. */
export const GRAPH_USER = {
  id: '17841400000000001',
  username: 'demo_user',
  account_type: 'BUSINESS',
  media_count: 3,
};

export const GRAPH_MEDIA_IDS = ['17900000000000003', '17900000000000002', '17900000000000001'];

export function graphMedia(id: string) {
  return {
    id,
    caption: 'A demo photo',
    media_type: 'IMAGE',
    media_url: `https://example.invalid/media/${encodeURIComponent(id)}.jpg`,
    permalink: `https://example.invalid/p/${encodeURIComponent(id)}/`,
    timestamp: '2026-01-01T12:00:00+0000',
  };
}

type Json = Record<string, unknown>;

/** Graph's error envelope: `{"error":{"message","type","code","fbtrace_id"}}`. */
export function graphError(message: string, type = 'GraphMethodException', code = 100): Json {
  return { error: { message, type, code, fbtrace_id: 'MockTrace0000000' } };
}

/** Only the requested `fields` (comma list), as the Graph API answers; all of them when none asked. */
export function pickFields(object: Json, fields: string | undefined): Json {
  if (!fields) return object;
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  return Object.fromEntries(Object.entries(object).filter(([k]) => k === 'id' || wanted.has(k)));
}
