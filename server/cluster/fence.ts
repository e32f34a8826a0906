// Leader-only writes checked against the leader lease's token (see coordinator.ts, "Fencing") in the same
// Redis script that writes, so a leader that lost its lease without noticing cannot move shared state. A
// refusal makes the coordinator step down at once.
import type { ClusterCoordinator } from './coordinator.js';
import type { RedisConns } from './redis.js';

// KEYS[1] = lease. ARGV[1] = token. Then per operation: SET (KEYS[2], ARGV[2]) or PUBLISH (ARGV[2], ARGV[3]).
const HOLDS = `return redis.call('GET', KEYS[1]) == ARGV[1] and 1 or 0`;
const SET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1`;
const PUBLISH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

export class Fence {
  constructor(private readonly r: RedisConns, private readonly lease: ClusterCoordinator) {}

  /** Whether this instance still holds the lease it believes it holds (for effects outside Redis). */
  holds(): Promise<boolean> { return this.run(HOLDS, [], []); }

  set(key: string, value: string): Promise<boolean> { return this.run(SET, [key], [value]); }

  publish(channel: string, message: string): Promise<boolean> { return this.run(PUBLISH, [], [channel, message]); }

  /** Runs a fenced script: KEYS[1] is the lease and ARGV[1] this instance's token, before the given ones. */
  async run(script: string, keys: string[], args: string[]): Promise<boolean> {
    const token = this.lease.token;
    if (!token) return false;
    const ok = await this.r.cmd.eval(script, { keys: [this.lease.leaseKey, ...keys], arguments: [token, ...args] }) === 1;
    if (!ok) this.lease.refused();
    return ok;
  }
}
