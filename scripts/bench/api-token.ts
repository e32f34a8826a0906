// Benchmarks authenticate like any client: log in as the admin they created, mint an API token.
import type { TokenScope } from '../../contracts/auth.js';

export async function apiToken(url: string, adminPassword: string, scopes: TokenScope[] = ['read', 'metrics']): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: adminPassword }) });
  if (login.status !== 200) throw new Error(`bench login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('gantry_session=')) ?? '').split(';')[0] ?? '';
  const res = await fetch(`${url}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'benchmark', role: 'admin', scopes }) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`bench token failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
