// Who may do what on the embedded broker. Logins: device/gateway credentials (or Gantry's internal one);
// a refused login is answered after a delay that grows with the refusals from that address, and is logged
// throttled (once per username per minute, with a count), so a password-guessing loop is slow and quiet.
// Sessions: a client id must derive from the device's username, so no device can take over the collector's
// session or another device's. Publishing: only to the topics of the device's ACL, never with a control
// character in the topic, never retained unless its credential allows it. Deleting a credential closes its
// open connections at once.
import type { Aedes, AedesOptions, AuthenticateError, Client } from 'aedes';
import type { Socket } from 'node:net';
import { LogThrottle } from '../../lib/log-throttle.js';
import { scrubPatientText } from '../../lib/patient-text.js';
import type { Logger } from '../../lib/logger.js';
import { MqttDevices, type MqttIdentity } from '../auth/mqtt-devices.js';
import type { ConnectionGate } from './broker-guard.js';

export interface BrokerAuth { devices: MqttDevices; allowAnonymous: boolean }
export interface LoginDelay { baseMs: number; maxMs: number }

// NUL and other control characters are legal in MQTT topics but nowhere sensible: refused so they cannot reach
// logs, dead letters or InfluxDB tags.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- the same, to replace them all in a log line
const CONTROL_ALL = /[\u0000-\u001f\u007f]/g;
const FORGET_FAILURES_MS = 15 * 60_000;

/** Refused logins per remote address, for the progressive delay. */
class LoginFailures {
  private readonly byAddress = new Map<string, { count: number; last: number }>();
  constructor(private readonly delay: LoginDelay) {}

  /** Records a refusal and returns how long to wait before answering it. */
  refused(address: string, now = Date.now()): number {
    const prev = this.byAddress.get(address);
    const count = prev && now - prev.last < FORGET_FAILURES_MS ? prev.count + 1 : 1;
    this.byAddress.set(address, { count, last: now });
    if (this.byAddress.size > 10_000) this.prune(now);
    return Math.min(this.delay.maxMs, this.delay.baseMs * 2 ** Math.min(count - 1, 20));
  }

  private prune(now: number): void {
    for (const [a, f] of this.byAddress) if (now - f.last >= FORGET_FAILURES_MS) this.byAddress.delete(a);
  }
}

const nameOf = (id: MqttIdentity | undefined): string =>
  !id ? '(not logged in)' : id.kind === 'device' ? id.device.username : id.kind === 'internal' ? 'gantry-internal' : '(anonymous)';

export class BrokerAccess {
  private readonly ids = new WeakMap<Client, MqttIdentity>();
  private readonly byUsername = new Map<string, Set<Client>>();
  private readonly failures: LoginFailures;
  private readonly throttle: LogThrottle;

  constructor(private readonly auth: BrokerAuth, private readonly gate: ConnectionGate, delay: LoginDelay, private readonly log: Logger) {
    this.failures = new LoginFailures(delay);
    this.throttle = new LogThrottle(log);
    auth.devices.onRemoved((username) => this.disconnect(username));
  }

  /** Forgets a client's connection bookkeeping when it goes. */
  attach(broker: Aedes): void {
    broker.on('clientDisconnect', (client) => {
      const id = this.ids.get(client);
      if (id?.kind === 'device') this.byUsername.get(id.device.username)?.delete(client);
    });
  }

  private disconnect(username: string): void {
    const clients = this.byUsername.get(username);
    this.byUsername.delete(username);
    if (!clients?.size) return;
    this.log.warn({ username, connections: clients.size }, 'MQTT credential deleted: closing its connections');
    for (const c of clients) c.close();
  }

  private refuse(client: Client, username: string, code: 2 | 4, why: string, done: (err: AuthenticateError | null, ok: boolean | null) => void): void {
    const address = client.conn && 'remoteAddress' in client.conn ? String((client.conn as Socket).remoteAddress) : '?';
    const wait = this.failures.refused(address);
    this.throttle.warn(`login:${address}`, { username: username.slice(0, 64), address, why, delayMs: wait }, 'MQTT login refused');
    const err = Object.assign(new Error(why), { returnCode: code });
    setTimeout(() => done(err, false), wait).unref();
  }

  private register(client: Client, id: MqttIdentity): void {
    this.ids.set(client, id);
    this.gate.settle(client.conn as Socket);
    if (id.kind !== 'device') return;
    const set = this.byUsername.get(id.device.username) ?? new Set<Client>();
    set.add(client);
    this.byUsername.set(id.device.username, set);
  }

  options(): Partial<AedesOptions> {
    return {
      authenticate: (client, username, password, done) => {
        const name = username ?? '(none)';
        this.auth.devices.authenticate(username, password, this.auth.allowAnonymous).then((id) => {
          if (!id) { this.refuse(client, name, 4, 'bad username or password', done); return; }
          if (!MqttDevices.mayUseClientId(id, client.id)) { this.refuse(client, name, 2, `client id "${client.id.slice(0, 64)}" is not derived from the username`, done); return; }
          this.register(client, id);
          done(null, true);
        }, (err: unknown) => { this.log.error({ err }, 'MQTT authentication failed'); this.refuse(client, name, 4, 'authentication error', done); });
      },
      authorizePublish: (client, packet, cb) => {
        if (!client) { cb(null); return; } // the broker's own $SYS messages
        const id = this.ids.get(client);
        const why = !id ? 'not logged in'
          : CONTROL.test(packet.topic) ? 'control character in topic'
            : packet.retain && !MqttDevices.mayRetain(id) ? 'retained messages are not allowed for this credential'
              : !MqttDevices.mayPublish(id, packet.topic) ? 'topic outside the credential ACL' : '';
        if (!why) { cb(null); return; }
        // The username, not the client id: the id is the device's own choice and says nothing reliable.
        const topic = scrubPatientText(packet.topic.slice(0, 256).replace(CONTROL_ALL, '?')).text;
        this.throttle.warn(`publish:${nameOf(id)}:${why}`, { username: nameOf(id), topic, why }, 'MQTT publish refused');
        cb(new Error(why));
      },
      authorizeSubscribe: (client, sub, cb) => {
        const id = this.ids.get(client);
        // null (not an error) refuses just this filter (SUBACK 0x80) and keeps the connection.
        cb(null, id && !CONTROL.test(sub.topic) && MqttDevices.maySubscribe(id, sub.topic) ? sub : null);
      },
    };
  }
}
