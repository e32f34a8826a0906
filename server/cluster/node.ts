// One Gantry instance's membership of a cluster (config cluster.redisUrl): shared state in Redis, the leader
// lease, the readings stream, alert replication, the shared audit log and the Socket.IO Redis adapter. The
// platform calls these in its start order; without cluster.redisUrl none of this exists.
import { hostname } from 'node:os';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Config } from '../config/schema.js';
import type { Logger } from '../../lib/logger.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { AlertingService } from '../alerts/service.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { GantryIo } from '../realtime/socket.js';
import { validAuthState, type StateFile } from '../auth/auth-store.js';
import { validDevices, type DevicesDoc } from '../auth/mqtt-devices.js';
import { validFleet } from '../fleet/registry.js';
import type { FleetFile } from '../../contracts/index.js';
import type { SharedState } from '../lib/shared-state.js';
import { AlertReplica } from './alert-replica.js';
import { ClusterCoordinator } from './coordinator.js';
import { ReadingRelay } from './readings.js';
import { connectRedis, type RedisConns } from './redis.js';
import { RedisState } from './redis-state.js';
import { RedisLockout } from './redis-lockout.js';
import type { LockoutOptions, LoginLockout } from '../auth/lockout.js';
import { shareAudit } from './audit-stream.js';
import { relayModelOutput } from './model-relay.js';

/** Something only the leader runs (model scoring): started on taking the lease, stopped on losing it. */
export interface LeaderTask { start(): Promise<void>; stop(): Promise<void> }

export interface ClusterNode {
  instanceId: string;
  coordinator: ClusterCoordinator;
  /** Opens the shared users/sessions/tokens document; `seed` (this instance's file) fills an empty Redis. */
  authState(seed: StateFile | undefined): Promise<SharedState<StateFile>>;
  devicesState(seed: DevicesDoc | undefined): Promise<SharedState<DevicesDoc>>;
  /** Sites and scanners; `seed` (this instance's registry file) fills an empty Redis. */
  fleetState(seed: FleetFile | undefined): Promise<SharedState<FleetFile>>;
  /** Failed-login counts every instance shares. */
  loginLockout(opts: LockoutOptions): LoginLockout;
  shareAudit(audit: AuditLog): Promise<void>;
  /** Before alerting.start(): the service then evaluates only while this instance leads. */
  joinAlerting(alerting: AlertingService): Promise<void>;
  /** After alerting.start(): takes part in the lease and the readings stream. */
  run(bus: EventBus, alerting: AlertingService, leaderTasks: LeaderTask[]): Promise<void>;
  attachSockets(io: GantryIo): Promise<void>;
  /** Resolves once this instance's accepted readings are in the shared stream (tests, clean stop). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function joinCluster(config: Readonly<Config>, log: Logger): Promise<ClusterNode> {
  const c = config.cluster;
  const instanceId = c.instanceId || `${hostname()}-${process.pid}`;
  const clog = log.child({ module: 'cluster', instance: instanceId });
  const r: RedisConns = await connectRedis(c.redisUrl, c.keyPrefix, clog);
  const coordinator = new ClusterCoordinator(r, { instanceId, leaseMs: c.leaseMs, renewMs: c.renewMs }, clog);
  let replica: AlertReplica | undefined;
  let relay: ReadingRelay | undefined;
  const stops: (() => Promise<void>)[] = [];
  return {
    instanceId, coordinator,
    authState: (seed) => RedisState.open(r, 'auth', (raw) => validAuthState(raw), seed),
    fleetState: (seed) => RedisState.open(r, 'fleet', (raw) => validFleet(raw), seed),
    loginLockout: (opts) => new RedisLockout(r, opts),
    devicesState: (seed) => RedisState.open(r, 'mqtt-devices', (raw) => validDevices(raw), seed),
    shareAudit: async (audit) => { stops.push(await shareAudit(r, audit, instanceId, clog)); },
    joinAlerting: async (alerting) => {
      replica = new AlertReplica(r, alerting, coordinator, clog);
      await replica.attach();
    },
    run: async (bus, alerting, leaderTasks) => {
      const rep = replica;
      if (!rep) throw new Error('joinAlerting must come before run');
      relay = new ReadingRelay(r, bus, coordinator, { instanceId, maxLen: c.streamMaxLen, replayWindowMs: c.leaseMs + 3 * c.renewMs + 5000 }, (x) => alerting.evaluateReading(x), clog);
      await relay.start();
      const offModels = await relayModelOutput(r, bus, coordinator);
      stops.push(async () => offModels());
      // Role changes run one after another, so a quick lose-and-regain cannot interleave start and stop.
      let roles: Promise<void> = Promise.resolve();
      coordinator.onChange((leader) => {
        roles = roles.then(async () => {
          if (leader) { await rep.lead(); relay?.setLeading(true); } else { relay?.setLeading(false); await rep.follow(); }
          for (const t of leaderTasks) {
            try { await (leader ? t.start() : t.stop()); } catch (err) { clog.error({ err: (err as Error).message }, 'leader task failed to change state'); }
          }
        });
      });
      await coordinator.start();
      stops.push(async () => { await coordinator.stop(); await roles; });
    },
    attachSockets: async (io) => {
      io.adapter(createAdapter(await r.extra(), await r.extra()));
    },
    flush: async () => { await relay?.flush(); },
    stop: async () => {
      await relay?.stop();
      for (const s of stops.reverse()) await s();
      await replica?.stop();
      await r.close();
    },
  };
}
