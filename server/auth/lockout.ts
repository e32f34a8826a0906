// Lock-out after repeated wrong passwords, counted per username AND client address. Counting per username
// alone let anyone lock any account (the admin's included) with a few wrong passwords from anywhere; per
// address alone would let one address try every account. Keyed on both, a stranger can only lock
// themselves out; guessing from many addresses is bounded by the per-address login rate limit.
export interface LockoutOptions { maxAttempts: number; lockoutMs: number; maxTracked?: number }

interface Failures { count: number; lockedUntil: number }

export class LoginLockout {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly opts: LockoutOptions) {}

  private static key(username: string, address: string): string {
    return `${username}\u0000${address}`;
  }

  /** True while this username is locked for this address. */
  locked(username: string, address: string, now = Date.now()): boolean {
    const f = this.failures.get(LoginLockout.key(username, address));
    return f !== undefined && f.lockedUntil > now;
  }

  failed(username: string, address: string, now = Date.now()): void {
    const key = LoginLockout.key(username, address);
    let f = this.failures.get(key);
    if (f && f.lockedUntil !== 0 && f.lockedUntil <= now) f = undefined; // a served lock-out starts a fresh count
    const count = (f?.count ?? 0) + 1;
    this.failures.delete(key); // re-inserted last, so the oldest entries are the ones evicted
    this.failures.set(key, { count, lockedUntil: count >= this.opts.maxAttempts ? now + this.opts.lockoutMs : 0 });
    if (this.failures.size > (this.opts.maxTracked ?? 10_000)) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(username: string, address: string): void {
    this.failures.delete(LoginLockout.key(username, address));
  }
}
