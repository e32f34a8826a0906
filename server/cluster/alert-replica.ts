// Carries the alerting service's replication over Redis. The leader writes every alert change into a hash
// (the state a new leader starts from) and announces it on a channel, with one script that first checks the
// leader lease is still its own: a leader that lost its lease without noticing (a paused process) cannot
// publish a second copy of an alert. Standbys mirror the announcements; their operators' commands go into a
// stream that the leader reads from a persisted cursor, so a command sent during a failover waits for the
// next leader instead of being lost.
import { Value } from '@sinclair/typebox/value';
import { Alert } from '../../contracts/alerts.js';
import type { AlertingService } from '../alerts/service.js';
import type { AlertCommand, ReplicatedChange } from '../alerts/replication.js';
import type { Logger } from '../../lib/logger.js';
import type { ClusterCoordinator } from './coordinator.js';
import type { RedisConns } from './redis.js';
import { StreamBatcher, StreamTail } from './stream-tail.js';

// KEYS: lease, hash. ARGV: me, field, value ('' deletes), channel, message.
const FENCED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[2], ARGV[2]) else redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

export class AlertReplica {
  private readonly commands: StreamBatcher;
  private tail: StreamTail | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly r: RedisConns, private readonly alerting: AlertingService, private readonly lease: ClusterCoordinator, private readonly log: Logger) {
    this.commands = new StreamBatcher(r.cmd, r.key('alert-commands'), lease.instanceId, 100_000, log);
  }

  /** Before the service starts: joins it to the cluster and follows the leader's announcements. */
  async attach(): Promise<void> {
    this.alerting.joinCluster({ publish: (c) => this.publish(c), forward: (c) => this.commands.push(c) });
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
      await this.r.cmd.set(cursorKey, e.id);
    }, this.log);
    this.tail.start();
    this.alerting.setEvaluating(true);
  }

  async follow(): Promise<void> {
    this.alerting.setEvaluating(false);
    const t = this.tail;
    this.tail = undefined;
    await t?.stop();
  }

  async stop(): Promise<void> {
    await this.follow();
    await this.commands.drain();
    await this.chain;
  }

  private publish(c: ReplicatedChange): void {
    const hash = c.t === 'alert' ? this.r.key('alerts') : this.r.key(`alert-admin:${c.kind}`);
    const field = c.t === 'alert' ? c.alert.id : c.id;
    const open = c.t === 'alert' ? c.alert.state !== 'resolved' : c.item !== null;
    const value = open ? JSON.stringify(c.t === 'alert' ? c.alert : c.item) : '';
    const args = [this.lease.instanceId, field, value, this.r.key('alerts:changed'), JSON.stringify(c)];
    // In order: a resolve must not overtake the firing it ends.
    this.chain = this.chain.then(async () => {
      const ok = await this.r.cmd.eval(FENCED, { keys: [this.lease.leaseKey, hash], arguments: args });
      if (ok !== 1) this.log.warn({ id: field }, 'alert change not published: this instance no longer holds the leader lease');
    }).catch((err: Error) => this.log.error({ err: err.message, id: field }, 'alert change not published to the cluster'));
  }
}
