import { useEffect, useState, type FormEvent } from 'react';
import type { AuthMethods } from '../../../contracts/auth.js';
import { fetchAuthMethods, login, ssoErrorFromUrl, startSso } from '../data/auth.js';
import { ApiError } from '../data/http.js';

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(() => ssoErrorFromUrl(window.location.search) ?? '');
  const [busy, setBusy] = useState(false);
  const [methods, setMethods] = useState<AuthMethods | undefined>();
  // Without the answer the page still offers the password form; only the SSO button depends on it.
  useEffect(() => { fetchAuthMethods().then(setMethods, () => undefined); }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await login(username.trim(), password);
      onLoggedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Wrong username or password.' : err instanceof Error ? err.message : 'Login failed.');
    } finally {
      setBusy(false);
    }
  };
  const sso = methods?.oidc;
  return (
    <main className="login">
      <form className="panel" onSubmit={submit} aria-label="Sign in">
        <h1>Gantry</h1>
        <p className="muted">Sign in to the imaging fleet dashboard.</p>
        {sso && (
          <>
            <button type="button" data-testid="sso-login" onClick={() => startSso(sso.loginUrl)}>Sign in with {sso.name}</button>
            <p className="muted or">or with a Gantry account</p>
          </>
        )}
        <label>Username <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus={!sso} /></label>
        <label>Password <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
        {error && <p className="error" role="alert" data-testid="login-error">{error}</p>}
        <button type="submit" className={sso ? 'secondary' : undefined} disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
