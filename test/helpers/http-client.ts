import assert from 'node:assert/strict';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/auth/session-cookie.ts';

export type Reply<T = any> = { status: number; headers: Headers; body: T; text: string };

/** A small HTTP client for tests: real fetch over loopback, keeping the session cookie and CSRF token. */
export function client(baseUrl: string) {
  let cookie: string | null = null;
  let csrf: string | null = null;
  let bearer: string | null = null;

  async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
    if (cookie) h.cookie = `${SESSION_COOKIE}=${cookie}`;
    if (csrf && !h[CSRF_HEADER]) h[CSRF_HEADER] = csrf;
    if (bearer) h.authorization = `Bearer ${bearer}`;
    const response = await fetch(baseUrl + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    const match = setCookie ? new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(setCookie) : null;
    if (match) cookie = match[1] || null;
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  return {
    call,
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
    put: <T = any>(path: string, body?: unknown) => call<T>('PUT', path, body),
    delete: <T = any>(path: string) => call<T>('DELETE', path),
    async login(username: string, password: string, totp?: string): Promise<Reply> {
      const reply = await call('POST', '/api/v1/auth/login', {
        username,
        password,
        ...(totp ? { totp } : {}),
      });
      if (reply.status === 200) csrf = reply.body.csrfToken;
      return reply;
    },
    setToken(token: string | null) {
      bearer = token;
    },
    forgetCsrf() {
      csrf = null;
    },
  };
}

/** The body of an answer that must have `status` (200 by default); the assertion shows the body otherwise. */
export async function okBody(reply: Promise<Reply>, status = 200) {
  const r = await reply;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
