/** Fixed data the mock serves, shaped like the legacy Instagram API's envelopes. */
export const MOCK_USER = {
  id: '25025320',
  username: 'demo_user',
  full_name: 'Demo User',
  profile_picture: 'https://example.invalid/demo.jpg',
  bio: 'Served by ig-proxy mock-instagram',
  website: '',
  counts: { media: 3, follows: 42, followed_by: 1337 },
};

export function mockMedia(id: string) {
  return {
    id,
    type: 'image',
    created_time: '1700000000',
    link: `https://example.invalid/p/${encodeURIComponent(id)}/`,
    caption: {
      id: `${id}-caption`,
      text: 'A demo photo',
      from: { id: MOCK_USER.id, username: MOCK_USER.username },
    },
    likes: { count: 7 },
    comments: { count: 2 },
    user: { id: MOCK_USER.id, username: MOCK_USER.username },
  };
}

export const MOCK_MEDIA_IDS = [
  '1066406478945217765_25025320',
  '1066406478945217764_25025320',
  '1066406478945217763_25025320',
];
