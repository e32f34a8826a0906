// Live sockets follow revocation: a socket is authorised once, at its handshake, so when the credential
// behind it stops being valid (logout, password change, user deleted/disabled/re-scoped, token revoked) the
// socket is disconnected at once. A periodic sweep also catches what no event announces (a session or token
// that simply expired).
import type { Server } from 'socket.io';
import type { AuthStore, Revocation } from '../auth/auth-store.js';
import type { Principal } from '../auth/principal.js';

/** True when a revocation covers the credential this principal authenticated with. */
export function revokes(r: Revocation, p: Principal): boolean {
  switch (r.kind) {
    case 'token': return p.via === 'token' && p.tokenId === r.tokenId;
    case 'session': return p.via === 'session' && p.sessionKey === r.sessionKey;
    case 'user': return p.via === 'session' && p.username === r.username && p.sessionKey !== r.exceptSessionKey;
    case 'recheck': return false;
  }
}

interface WithPrincipal { data: { principal?: Principal } }

/** Disconnects revoked sockets as revocations happen and every `sweepMs`; returns the function that stops it. */
export function followRevocations<S extends Server>(io: S, auth: AuthStore, sweepMs: number): () => void {
  const drop = (match: (p: Principal) => boolean) => {
    for (const socket of io.sockets.sockets.values()) {
      const p = (socket as unknown as WithPrincipal).data.principal;
      if (p && match(p)) socket.disconnect(true);
    }
  };
  const off = auth.onRevocation((r) => drop((p) => (r.kind === 'recheck' ? !auth.isCurrent(p) : revokes(r, p))));
  const timer = setInterval(() => drop((p) => !auth.isLive(p)), sweepMs);
  timer.unref();
  return () => { off(); clearInterval(timer); };
}
