// Carries the alerting service's replication over Redis. The leader writes every alert change into a hash
// (the state a new leader starts from) and announces it on a channel, with one script that first checks the
// leader lease's token is still its own (fence.ts): a leader that lost its lease without noticing (a paused
// process) cannot publish a second copy of an alert, and the change's other effects (InfluxDB, dashboards)
// run only after that script accepted it. Standbys mirror the announcements; their operators' commands go into a
// stream that the leader reads from a persisted cursor, so a command sent during a failover waits for the
// next leader instead of being lost.
import { Value } from '@sinclair/typebox/value';
import { Alert } from '../../contracts/alerts.js';
import type { AlertingService } from '../alerts/service.js';
import type { AlertCommand, ReplicatedChange } from '../alerts/replication.js';
import type { Logger } from '../../lib/logger.js';
import type { ClusterCoordinator } from './coordinator.js';
import type { RedisConns } from './redis.js';
import { Fence } from './fence.js';
import { StreamBatcher, StreamTail } from './stream-tail.js';

// KEYS: lease, hash. ARGV: token, field, value ('' deletes), channel, message.
const FENCED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[2], ARGV[2]) else redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

export class AlertReplica {
  private readonly commands: StreamBatcher;
  private tail: StreamTail | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly fence: Fence;
  /** Alerts whose changes Redis refused (lease lost): the shared version replaces them on stepping down. */
  private readonly refused = new Set<string>();

  constructor(private readonly r: RedisConns, private readonly alerting: AlertingService, lease: ClusterCoordinator, private readonly log: Logger) {
    this.fence = new Fence(r, lease);
    this.commands = new StreamBatcher(r.cmd, r.key('alert-commands'), lease.instanceId, 100_000, log);
  }

  /** Before the service starts: joins it to the cluster and follows the leader's announcements. */
  async attach(): Promise<void> {
    this.alerting.joinCluster({
      commit: (id, c, effects) => this.commit(id, c, effects),
      holdsLease: () => this.fence.holds().catch(() => false),
      forward: (c) => this.commands.push(c),
    });
    await this.r.sub.subscribe(this.r.key('alerts:changed'), (msg) => {
      try { this.alerting.mirror(JSON.parse(msg) as ReplicatedChange); } catch (err) { this.log.warn({ err: (err as Error).message }, 'unreadable alert change skipped'); }
    });
  }

  /** Open alerts as the last leader left them (newer than what InfluxDB may hold yet). */
  async sharedOpenAlerts(): Promise<Alert[]> {
    const h = await this.r.cmd.hGetAll(this.r.key('alerts'));
    return Object.values(h).map((j) => JSON.parse(j) as unknown).filter((a): a is Alert => Value.Check(Alert, a));
  }

  /** Leader from now on: pick up the newest shared state, then evaluate and carry out queued commands. */
  async lead(): Promise<void> {
    for (const a of await this.sharedOpenAlerts()) {
      const mine = this.alerting.get(a.id);
      if (!mine || (mine.updatedAt ?? 0) < (a.updatedAt ?? 0)) this.alerting.mirror({ t: 'alert', alert: a, reason: 'flags' });
    }
    const cursorKey = this.r.key('alert-commands:cursor');
    const from = (await this.r.cmd.get(cursorKey)) ?? '$';
    this.tail = new StreamTail(await this.r.extra(), this.r.key('alert-commands'), from, async (e) => {
      for (const c of e.items) this.alerting.execute(c as AlertCommand);
      await this.fence.set(cursorKey, e.id);
    }, this.log);
    this.tail.start();
    this.alerting.setEvaluating(true);
  }

  async follow(): Promise<void> {
    this.alerting.setEvaluating(false);
    // What this instance changed after its lease was gone never reached the others: start again from theirs.
    // Not awaited: with Redis unreachable (a reason to step down) the read waits for it to come back, and
    // stepping down must not.
    const readAt = Date.now();
    // Changes refused from now on are in the chain already: the reload waits for them.
    void this.chain.then(() => this.sharedOpenAlerts()).then((open) => {
      this.alerting.resync(open, readAt, this.refused);
      this.refused.clear();
    }, (err: Error) => this.log.warn({ err: err.message }, 'could not reload the shared alerts'));
    const t = this.tail;
    this.tail = undefined;
    await t?.stop();
  }

  async stop(): Promise<void> {
    await this.follow();
    await this.commands.drain();
    await this.chain;
  }

  /** In order: a resolve must not overtake the firing it ends. */
  private commit(id: string, c: ReplicatedChange | undefined, effects: () => void): void {
    this.chain = this.chain.then(async () => {
      const ok = c ? await this.publish(c) : await this.fence.holds();
      if (!ok) {
        this.refused.add(id);
        this.log.warn({ id }, 'alert change dropped: this instance no longer holds the leader lease');
        return;
      }
      effects();
    }).catch((err: Error) => this.log.error({ err: err.message, id }, 'alert change not carried out'));
  }

  private publish(c: ReplicatedChange): Promise<boolean> {
    const hash = c.t === 'alert' ? this.r.key('alerts') : this.r.key(`alert-admin:${c.kind}`);
    const open = c.t === 'alert' ? c.alert.state !== 'resolved' : c.item !== null;
    const value = open ? JSON.stringify(c.t === 'alert' ? c.alert : c.item) : '';
    return this.fence.run(FENCED, [hash], [idOf(c), value, this.r.key('alerts:changed'), JSON.stringify(c)]);
  }
}

const idOf = (c: ReplicatedChange) => (c.t === 'alert' ? c.alert.id : c.id);
