/**
 * The one way the console and portal call the API: same-origin fetch with the session cookie,
 * the CSRF token echoed on unsafe methods, and problem+json turned into an ApiError whose message
 * a person can read (never a stack trace).
 */
const CSRF_KEY = 'fg.csrf';

export function setCsrfToken(token: string | null): void {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

/** Whether this tab signed in (and may hold a session cookie); saves a 401 round trip when not. */
export function maySignedIn(): boolean {
  return sessionStorage.getItem(CSRF_KEY) !== null;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = sessionStorage.getItem(CSRF_KEY) ?? '';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? null : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok) {
    if (type.includes('json')) {
      const p = (await res.json().catch(() => ({}))) as { code?: string; detail?: string; title?: string };
      throw new ApiError(res.status, p.code ?? 'error', p.detail ?? p.title ?? '');
    }
    throw new ApiError(res.status, 'error', '');
  }
  if (type.includes('json')) return (await res.json()) as T;
  return (await res.text()) as unknown as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const put = <T>(url: string, body?: unknown) => api<T>('PUT', url, body ?? {});
