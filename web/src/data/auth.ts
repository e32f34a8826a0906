import type { AuthMethods, Me, OidcFailure } from '../../../contracts/auth.js';
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

/** Which sign-in methods the server offers (the single sign-on button appears only when one is configured). */
export function fetchAuthMethods(): Promise<AuthMethods> {
  return api<AuthMethods>('/api/auth/methods');
}

/** Single sign-on is a full-page navigation through the identity provider, never a fetch. */
export function startSso(loginUrl: string): void {
  window.location.assign(loginUrl);
}

const SSO_MESSAGES: Record<OidcFailure, string> = {
  sso_unavailable: 'Single sign-on is not reachable right now. Try again, or sign in with a Gantry password.',
  sso_expired: 'The single sign-on attempt expired or was already used. Please start again.',
  sso_denied: 'Single sign-on was cancelled or refused by the identity provider.',
  sso_invalid: 'The answer of the identity provider could not be verified. Please start again.',
  sso_no_role: 'Your account is not in any group that has access to Gantry. Ask your administrator.',
  sso_username_taken: 'Your login name is already used by a local Gantry account. Ask your administrator.',
  sso_disabled: 'Your Gantry account is disabled. Ask your administrator.',
};

/** The message for /login?error=<reason> after a failed single sign-on; undefined when there is none. */
export function ssoErrorFromUrl(search: string): string | undefined {
  const reason = new URLSearchParams(search).get('error');
  if (!reason) return undefined;
  return reason in SSO_MESSAGES ? SSO_MESSAGES[reason as OidcFailure] : 'Single sign-on failed. Please start again.';
}
