import type { Me } from '../../../contracts/auth.js';
import { api, ApiError } from './http.js';

/** The signed-in user, or null when nobody is (401). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>('/api/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

// After login or logout the page reloads (see app.tsx): the socket and every store then start fresh with
// the new session, which is simpler and safer than re-keying live subscriptions in place.
export function login(username: string, password: string): Promise<Me> {
  return api<Me>('/api/auth/login', { method: 'POST', body: { username, password } });
}

export async function logout(): Promise<void> {
  await api('/api/auth/logout', { method: 'POST' });
}

export function changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
  return api('/api/me/password', { method: 'POST', body: { currentPassword, newPassword } });
}
