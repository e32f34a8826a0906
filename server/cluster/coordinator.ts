// Leader election with a Redis lease: a script takes a free lease, a compare-and-renew script keeps it, and a
// standby retries every renewMs. Exactly one instance evaluates the alert rules, detectors and forecasts
// (they need all of a scanner's readings in one place).
//
// Fencing: the lease's value is a token, `<instance>#<term>`, the term counting up at every takeover. A
// leader that lost its lease without noticing (a paused process: its timers and buffered readings run
// before its next renewal can tell it) carries its old token; every leader-only write checks it in the same
// Redis script that writes (see fence.ts), so Redis refuses them, and side effects outside Redis (InfluxDB,
// dashboards, notifications) run only after such a check passed. The term tells apart two processes with
// the same instance id (one restarted while the other was paused).
import type { Logger } from '../../lib/logger.js';
import type { RedisConns } from './redis.js';

// KEYS = lease, term counter. ARGV = instance id, lease ms. Returns the new token, or nil when taken.
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = ARGV[1] .. '#' .. redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[2])
return token`;
// KEYS[1] = lease, ARGV = token, lease ms. Returns 1 when the lease is still ours and renewed.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface CoordinatorOptions { instanceId: string; leaseMs: number; renewMs: number }

export class ClusterCoordinator {
  private leader = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((leader: boolean) => void)[] = [];
  private busy = false;
  private term = '';

  constructor(private readonly r: RedisConns, private readonly opts: CoordinatorOptions, private readonly log: Logger) {}

  get isLeader(): boolean { return this.leader; }
  get instanceId(): string { return this.opts.instanceId; }
  get leaseKey(): string { return this.r.key('leader'); }
  /** The lease value while this instance believes it leads ('' otherwise): what fenced writes compare. */
  get token(): string { return this.leader ? this.term : ''; }

  /** Called on every change of this instance's role (true: became leader). */
  onChange(listener: (leader: boolean) => void): void { this.listeners.push(listener); }

  async start(): Promise<void> {
    await this.step();
    this.timer = setInterval(() => { void this.step(); }, this.opts.renewMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.leader) {
      // A clean stop hands over at once instead of letting the standby wait out the lease.
      await this.r.cmd.eval(RELEASE, { keys: [this.leaseKey], arguments: [this.term] }).catch(() => undefined);
      this.set(false);
    }
  }

  /** The instance holding the lease, if any. */
  async holder(): Promise<string | null> { return holderOf(await this.r.cmd.get(this.leaseKey)); }

  /** A fenced write was refused: the lease is gone, so step down now rather than at the next renewal. */
  refused(): void { void this.step(); }

  private async step(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const ms = String(this.opts.leaseMs);
      if (this.leader) {
        const ok = await this.r.cmd.eval(RENEW, { keys: [this.leaseKey], arguments: [this.term, ms] });
        if (ok !== 1) this.set(false);
      } else {
        const got = await this.r.cmd.eval(ACQUIRE, { keys: [this.leaseKey, this.r.key('leader:term')], arguments: [this.opts.instanceId, ms] });
        if (typeof got === 'string') { this.term = got; this.set(true); }
      }
    } catch (err) {
      // Redis unreachable: a leader cannot know whether its lease still holds, so it steps down before the
      // lease could expire and let a standby in.
      this.log.error({ err: (err as Error).message }, 'leader lease check failed');
      if (this.leader) this.set(false);
    } finally {
      this.busy = false;
    }
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.log.info({ term: this.term }, leader ? 'this instance is now the cluster leader (evaluates alerts and models)' : 'this instance is a standby');
    for (const l of this.listeners) l(leader);
  }
}

/** The instance id in a lease value (`<instance>#<term>`). */
export function holderOf(lease: string | null): string | null {
  if (lease === null) return null;
  const i = lease.lastIndexOf('#');
  return i < 0 ? lease : lease.slice(0, i);
}
