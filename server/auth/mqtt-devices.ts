// Device and gateway credentials for the embedded MQTT broker, with per-device topic ACLs, in a JSON state
// document (scrypt hashes only): a file for one process, Redis for a cluster (SharedState). The platform's own collector and simulator use an internal credential that is
// generated at every start and never written anywhere.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { MqttDevice, topicMatches, type CreateMqttDeviceRequest } from '../../contracts/index.js';
import { FileState, type SharedState } from '../lib/shared-state.js';
import { HttpError } from './guard.js';
import { burnVerify, hashPassword, randomSecret, verifyPassword } from './passwords.js';

const StoredDevice = Type.Intersect([MqttDevice, Type.Object({ passwordHash: Type.String() })]);
type StoredDevice = Static<typeof StoredDevice>;
export const DevicesFile = Type.Object({ devices: Type.Array(StoredDevice) });
export type DevicesDoc = Static<typeof DevicesFile>;

export function validDevices(raw: unknown, where = 'MQTT devices state'): DevicesDoc {
  if (!Value.Check(DevicesFile, raw)) throw new Error(`${where} is not a valid MQTT devices file`);
  return raw;
}


/** A subscription filter is allowed when an ACL filter covers it entirely. */
function filterCovered(acl: string, wanted: string): boolean {
  const a = acl.split('/'), w = wanted.split('/');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '#') return true;
    if (i >= w.length) return false;
    if (w[i] === '#') return false;
    if (a[i] !== '+' && (a[i] !== w[i] || w[i] === '+')) return false;
  }
  return a.length === w.length;
}

export type MqttIdentity = { kind: 'internal' } | { kind: 'anonymous' } | { kind: 'device'; device: MqttDevice };

/** Client ids and usernames starting with this belong to Gantry's own clients (collector, PACS, simulator). */
export const RESERVED_PREFIX = 'gantry';
// What the broker assigns to a client that sends an empty id (clean session): random, so it cannot be guessed.
const BROKER_ASSIGNED = /^aedes_[0-9a-f-]{36}$/;

export class MqttDevices {
  private readonly shared: SharedState<DevicesDoc>;
  /** Credential of Gantry's own clients (collector, simulator); lives only in memory. */
  readonly internal = { username: 'gantry-internal', password: randomBytes(24).toString('base64url') };
  private readonly removedListeners: ((username: string) => void)[] = [];

  constructor(path: string, shared?: SharedState<DevicesDoc>) {
    this.shared = shared ?? new FileState(path, (raw) => validDevices(raw, path));
  }

  private get devices(): StoredDevice[] { return this.shared.current()?.devices ?? []; }

  list(): MqttDevice[] { return this.devices.map(({ passwordHash: _h, ...d }) => d); }

  async create(req: CreateMqttDeviceRequest): Promise<{ password: string; device: MqttDevice }> {
    if (req.username.startsWith(RESERVED_PREFIX)) {
      // A device named like Gantry's own clients could otherwise use their client ids (its own, by the rule below).
      throw new HttpError(400, `usernames starting with "${RESERVED_PREFIX}" are reserved for Gantry's own clients`, 'reserved');
    }
    const exists = (list: StoredDevice[]) => {
      if (list.some((d) => d.username === req.username)) throw new HttpError(409, `device ${req.username} exists`, 'exists');
    };
    exists(this.devices);
    const password = randomSecret();
    const device: MqttDevice = {
      username: req.username, publish: req.publish, subscribe: req.subscribe ?? [], createdAt: Date.now(), ...(req.retain ? { retain: true } : {}),
    };
    const stored = { ...device, passwordHash: await hashPassword(password) };
    await this.shared.update(() => ({ devices: [] }), (doc) => { exists(doc.devices); doc.devices.push(stored); });
    return { password, device };
  }

  async remove(username: string): Promise<void> {
    await this.shared.update(() => ({ devices: [] }), (doc) => {
      if (!doc.devices.some((d) => d.username === username)) throw new HttpError(404, `device ${username} does not exist`);
      doc.devices = doc.devices.filter((d) => d.username !== username);
    });
    for (const l of this.removedListeners) l(username);
  }

  /** Called after a credential is deleted, so the broker can drop its open connections at once. */
  onRemoved(listener: (username: string) => void): void { this.removedListeners.push(listener); }

  async authenticate(username: string | undefined, password: Buffer | undefined, allowAnonymous: boolean): Promise<MqttIdentity | undefined> {
    if (!username) return allowAnonymous ? { kind: 'anonymous' } : undefined;
    const pw = password?.toString('utf8') ?? '';
    if (username === this.internal.username) {
      const a = Buffer.from(pw), b = Buffer.from(this.internal.password);
      return a.length === b.length && timingSafeEqual(a, b) ? { kind: 'internal' } : undefined;
    }
    await this.shared.sync();
    const d = this.devices.find((x) => x.username === username);
    if (!d) {
      // Same work as for a known username, so the answer time does not tell which usernames exist.
      await burnVerify(pw);
      return undefined;
    }
    if (!(await verifyPassword(pw, d.passwordHash))) return undefined;
    const { passwordHash: _h, ...device } = d;
    return { kind: 'device', device };
  }

  /**
   * A device may only use its username as client id, or `<username>-<suffix>`: a client id names a broker
   * session, and taking over another's (the collector's above all) would disconnect it and wipe or inherit its
   * queued messages. Anonymous clients (development only) may use any id outside the reserved prefix.
   */
  static mayUseClientId(id: MqttIdentity, clientId: string): boolean {
    if (id.kind === 'internal') return true;
    if (BROKER_ASSIGNED.test(clientId)) return true;
    if (id.kind === 'anonymous') return !clientId.toLowerCase().startsWith(RESERVED_PREFIX);
    const u = id.device.username;
    return clientId === u || (clientId.startsWith(`${u}-`) && clientId.length > u.length + 1);
  }

  /** Retained messages outlive the device's connection and are replayed to every subscriber: opt-in only. */
  static mayRetain(id: MqttIdentity): boolean {
    return id.kind === 'internal' || (id.kind === 'device' && id.device.retain === true);
  }

  static mayPublish(id: MqttIdentity, topic: string): boolean {
    if (id.kind === 'internal') return true;
    if (id.kind === 'anonymous') return topicMatches('gantry/v1/#', topic);
    return id.device.publish.some((f) => topicMatches(f, topic));
  }

  static maySubscribe(id: MqttIdentity, filter: string): boolean {
    if (id.kind === 'internal') return true;
    if (id.kind === 'anonymous') return false;
    return id.device.subscribe.some((f) => filterCovered(f, filter));
  }
}
