import { useState, type FormEvent } from 'react';
import { changePassword } from '../data/auth.js';
import { ApiError } from '../data/http.js';

/** Shown after signing in with a one-time password: nothing else works until it is replaced. */
export function ChangePasswordPage({ username, onChanged }: { username: string; onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== repeat) { setError('The new passwords differ.'); return; }
    try {
      await changePassword(current, next);
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <main className="login">
      <form className="panel" onSubmit={submit} aria-label="Choose your password">
        <h1>Choose your password</h1>
        <p className="muted">{username}, you signed in with a one-time password. Choose your own (at least 12 characters) to continue.</p>
        <label>One-time password <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required /></label>
        <label>New password <input type="password" autoComplete="new-password" minLength={12} value={next} onChange={(e) => setNext(e.target.value)} required /></label>
        <label>Repeat it <input type="password" autoComplete="new-password" minLength={12} value={repeat} onChange={(e) => setRepeat(e.target.value)} required /></label>
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit">Save and continue</button>
      </form>
    </main>
  );
}
