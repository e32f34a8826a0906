// Leader election with a Redis lease: SET key me NX PX lease takes it, a compare-and-renew script keeps it,
// and a standby retries every renewMs. Exactly one instance evaluates the alert rules, detectors and forecasts
// (they need all of a scanner's readings in one place), and each lease carries a fencing term, so alert
// writes of a leader that lost its lease without noticing (paused process) are refused by Redis.
import type { Logger } from '../../lib/logger.js';
import type { RedisConns } from './redis.js';

// KEYS[1] = lease, ARGV = me, lease ms. Returns 1 when the lease is still ours and renewed.
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

  constructor(private readonly r: RedisConns, private readonly opts: CoordinatorOptions, private readonly log: Logger) {}

  get isLeader(): boolean { return this.leader; }
  get instanceId(): string { return this.opts.instanceId; }
  get leaseKey(): string { return this.r.key('leader'); }

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
      await this.r.cmd.eval(RELEASE, { keys: [this.leaseKey], arguments: [this.opts.instanceId] }).catch(() => undefined);
      this.set(false);
    }
  }

  /** The current holder of the lease, if any. */
  holder(): Promise<string | null> { return this.r.cmd.get(this.leaseKey); }

  private async step(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const id = this.opts.instanceId;
      if (this.leader) {
        const ok = await this.r.cmd.eval(RENEW, { keys: [this.leaseKey], arguments: [id, String(this.opts.leaseMs)] });
        if (ok !== 1) this.set(false);
      } else {
        const got = await this.r.cmd.set(this.leaseKey, id, { condition: 'NX', expiration: { type: 'PX', value: this.opts.leaseMs } });
        if (got === 'OK') this.set(true);
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
    this.log.info({ instance: this.opts.instanceId }, leader ? 'this instance is now the cluster leader (evaluates alerts and models)' : 'this instance is a standby');
    for (const l of this.listeners) l(leader);
  }
}
