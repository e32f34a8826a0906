// Builds the access-control state the platform needs (users and tokens, audit log, fleet registry, MQTT
// device credentials) from config, with their files under dataDir unless configured elsewhere. Kept out of
// platform.ts so the composition root stays one call.
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { AuditLog } from '../audit/audit-log.js';
import { FleetRegistry } from '../fleet/registry.js';
import { AuthStore } from './auth-store.js';
import { MqttDevices } from './mqtt-devices.js';

export interface Access {
  auth: AuthStore;
  audit: AuditLog;
  fleet: FleetRegistry;
  mqttDevices: MqttDevices;
  initialAdmin: { username: string; password: string; generated: boolean } | undefined;
  stop(): Promise<void>;
}

export async function startAccess(config: Readonly<Config>, dataDir: string): Promise<Access> {
  const file = (configured: string, name: string) => (configured ? resolve(configured) : join(dataDir, name));
  const auth = new AuthStore({
    file: file(config.auth.stateFile, 'auth.json'),
    sessionTtlMs: config.auth.sessionTtlHours * 3_600_000,
    maxAttempts: config.auth.loginMaxAttempts,
    lockoutMs: config.auth.lockoutMinutes * 60_000,
  });
  const initialAdmin = await auth.ensureInitialAdmin(config.auth.initialAdminPassword);
  const audit = new AuditLog(file(config.api.auditFile, 'audit.jsonl'));
  const fleet = new FleetRegistry(file(config.fleet.registryFile, 'fleet.json'));
  const mqttDevices = new MqttDevices(file(config.mqtt.devicesFile, 'mqtt-devices.json'));
  return {
    auth, audit, fleet, mqttDevices, initialAdmin,
    stop: async () => { fleet.stop(); await audit.close(); },
  };
}
