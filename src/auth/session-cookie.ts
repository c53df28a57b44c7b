export const SESSION_COOKIE = 'h247_session';
export const CSRF_HEADER = 'x-csrf-token';
export const TOKEN_PREFIX = 'h247_';
