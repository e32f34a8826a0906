// What the alerting service exchanges with the other instances of a cluster (server/cluster/alert-replica.ts
// carries it over Redis). The leader evaluates and publishes every change; a standby keeps a mirror for the
// API and its dashboards, and forwards operators' commands to the leader, so acknowledgements, silences and
// maintenance windows made on any instance hold on all of them.
import type { Alert } from '../../contracts/alerts.js';
import type { MaintenanceWindow, Silence } from '../../contracts/alert-silences.js';
import type { ChangeReason } from './lifecycle.js';

export type ReplicatedChange =
  | { t: 'alert'; alert: Alert; reason: ChangeReason }
  | { t: 'admin'; kind: 'silence'; id: string; item: Silence | null }
  | { t: 'admin'; kind: 'maintenance'; id: string; item: MaintenanceWindow | null };

export type AlertCommand =
  | { c: 'ack'; id: string; by: string; comment?: string; at: number }
  | { c: 'silence'; silence: Silence }
  | { c: 'unsilence'; id: string }
  | { c: 'window'; window: MaintenanceWindow }
  | { c: 'unwindow'; id: string };

export interface AlertCluster {
  /**
   * Leader: puts a change of alert or silence/window `id` into shared state (undefined: nothing to share)
   * and then runs `effects` (storage, dashboards), in call order, only if this instance still holds the
   * leader lease at that moment.
   */
  commit(id: string, change: ReplicatedChange | undefined, effects: () => void): void;
  /** Leader: whether it still holds the lease (checked before each notification is sent). */
  holdsLease(): Promise<boolean>;
  /** Standby: an operator's command for the leader to carry out. */
  forward(cmd: AlertCommand): void;
}
