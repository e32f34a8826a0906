// Lock-out after repeated wrong passwords, counted per username AND client address. Counting per username
// alone let anyone lock any account (the admin's included) with a few wrong passwords from anywhere; per
// address alone would let one address try every account. Keyed on both, a stranger can only lock
// themselves out; guessing from many addresses is bounded by the per-address login rate limit.
//
// One process keeps the counts in memory (LocalLockout). In a cluster every instance must count the same
// failures, or an attacker gets maxAttempts per instance by alternating between them behind the load
// balancer: cluster/redis-lockout.ts keeps them in Redis.
export interface LockoutOptions { maxAttempts: number; lockoutMs: number; maxTracked?: number }

export interface LoginLockout {
  /** True while this username is locked for this address. */
  locked(username: string, address: string): Promise<boolean>;
  failed(username: string, address: string): Promise<void>;
  succeeded(username: string, address: string): Promise<void>;
}

interface Failures { count: number; lockedUntil: number }

export function lockoutKey(username: string, address: string): string {
  return `${username}\u0000${address}`;
}

export class LocalLockout implements LoginLockout {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly opts: LockoutOptions) {}

  private lockedAt(username: string, address: string, now: number): boolean {
    const f = this.failures.get(lockoutKey(username, address));
    return f !== undefined && f.lockedUntil > now;
  }

  private failedAt(username: string, address: string, now: number): void {
    const key = lockoutKey(username, address);
    let f = this.failures.get(key);
    if (f && f.lockedUntil !== 0 && f.lockedUntil <= now) f = undefined; // a served lock-out starts a fresh count
    const count = (f?.count ?? 0) + 1;
    this.failures.delete(key); // re-inserted last, so the oldest entries are the ones evicted
    this.failures.set(key, { count, lockedUntil: count >= this.opts.maxAttempts ? now + this.opts.lockoutMs : 0 });
    if (this.failures.size > (this.opts.maxTracked ?? 10_000)) this.failures.delete(this.failures.keys().next().value as string);
  }

  locked(username: string, address: string): Promise<boolean> { return Promise.resolve(this.lockedAt(username, address, Date.now())); }

  failed(username: string, address: string): Promise<void> {
    this.failedAt(username, address, Date.now());
    return Promise.resolve();
  }

  succeeded(username: string, address: string): Promise<void> {
    this.failures.delete(lockoutKey(username, address));
    return Promise.resolve();
  }
}
