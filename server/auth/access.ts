// Builds the access-control state the platform needs (users and tokens, audit log, fleet registry, MQTT
// device credentials) from config, with their files under dataDir unless configured elsewhere. Kept out of
// platform.ts so the composition root stays one call. In a cluster, users, tokens, sessions and device
// credentials live in Redis (an empty Redis is seeded from this instance's files), as do the fleet registry
// and failed-login counts, and the audit log is shared.
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { AuditLog } from '../audit/audit-log.js';
import { FleetRegistry, readFleetFile } from '../fleet/registry.js';
import { readJsonFile } from '../../lib/atomic-file.js';
import type { ClusterNode } from '../cluster/node.js';
import { AuthStore, validAuthState } from './auth-store.js';
import { MqttDevices, validDevices } from './mqtt-devices.js';

export interface Access {
  auth: AuthStore;
  audit: AuditLog;
  fleet: FleetRegistry;
  mqttDevices: MqttDevices;
  initialAdmin: { username: string; password: string; generated: boolean } | undefined;
  stop(): Promise<void>;
}

export async function startAccess(config: Readonly<Config>, dataDir: string, cluster?: ClusterNode): Promise<Access> {
  const file = (configured: string, name: string) => (configured ? resolve(configured) : join(dataDir, name));
  const authFile = file(config.auth.stateFile, 'auth.json');
  const devicesFile = file(config.mqtt.devicesFile, 'mqtt-devices.json');
  const seed = <T>(path: string, validate: (raw: unknown, where: string) => T): T | undefined => {
    const raw = readJsonFile(path);
    return raw === undefined ? undefined : validate(raw, path);
  };
  const lockout = { maxAttempts: config.auth.loginMaxAttempts, lockoutMs: config.auth.lockoutMinutes * 60_000 };
  const auth = new AuthStore({
    file: authFile,
    sessionTtlMs: config.auth.sessionTtlHours * 3_600_000,
    ...lockout,
    ...(cluster ? { shared: await cluster.authState(seed(authFile, validAuthState)), lockout: cluster.loginLockout(lockout) } : {}),
  });
  const initialAdmin = await auth.ensureInitialAdmin(config.auth.initialAdminPassword);
  const audit = new AuditLog(file(config.api.auditFile, 'audit.jsonl'));
  if (cluster) await cluster.shareAudit(audit);
  const fleetFile = file(config.fleet.registryFile, 'fleet.json');
  const fleet = new FleetRegistry(fleetFile, cluster ? await cluster.fleetState(readFleetFile(fleetFile)) : undefined);
  const mqttDevices = new MqttDevices(devicesFile, cluster ? await cluster.devicesState(seed(devicesFile, validDevices)) : undefined);
  return {
    auth, audit, fleet, mqttDevices, initialAdmin,
    stop: async () => { fleet.stop(); await audit.close(); },
  };
}
