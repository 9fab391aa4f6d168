/** Bot scopes the features use; manifest.yml declares the same (the doctor checks the install). */
export const requiredBotScopes = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:manage',
  'channels:read',
  'channels:history',
  'channels:join',
  'groups:write',
  'groups:read',
  'groups:history',
  'im:write',
  'pins:write',
  'bookmarks:read',
  'bookmarks:write',
  'users:read',
  'users:read.email',
] as const;
