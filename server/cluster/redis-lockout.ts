// Login lock-out counts of a cluster, in Redis, so every instance counts the same failures (see
// auth/lockout.ts). One key per username and address (hashed: usernames and addresses are client input)
// holds the failure count; one script increments it and pushes its expiry to lockoutMs ahead, atomically,
// so two instances failing at once both count. At maxAttempts the user is locked for that address until the
// key expires, lockoutMs after the last failure; then the count starts afresh. Unlike one process's counts,
// failures below the limit are also forgotten after lockoutMs without another one: that still allows at
// most maxAttempts guesses per lockoutMs for a username and address, the bound the lock-out itself sets.
import { createHash } from 'node:crypto';
import { lockoutKey, type LockoutOptions, type LoginLockout } from '../auth/lockout.js';
import type { RedisConns } from './redis.js';

// KEYS[1] = counter, ARGV[1] = lockout ms. Returns the count.
const FAIL = `
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return n`;

export class RedisLockout implements LoginLockout {
  constructor(private readonly r: RedisConns, private readonly opts: LockoutOptions) {}

  private key(username: string, address: string): string {
    return this.r.key(`lockout:${createHash('sha256').update(lockoutKey(username, address)).digest('hex')}`);
  }

  async locked(username: string, address: string): Promise<boolean> {
    return Number((await this.r.cmd.get(this.key(username, address))) ?? 0) >= this.opts.maxAttempts;
  }

  async failed(username: string, address: string): Promise<void> {
    await this.r.cmd.eval(FAIL, { keys: [this.key(username, address)], arguments: [String(Math.ceil(this.opts.lockoutMs))] });
  }

  async succeeded(username: string, address: string): Promise<void> {
    await this.r.cmd.del(this.key(username, address));
  }
}
