// Fencing of a paused leader (issue 18): the leader is stopped (SIGSTOP) while one of its alerts is pending,
// long enough for its lease to expire and the standby to take over and raise that alert itself. When the old
// leader resumes (SIGCONT), its overdue timers and buffered readings run before it can learn it lost the
// lease; it must still not raise the alert a second time: no second firing event stored, none at a browser's
// socket, no second notification. Then it follows the new leader like any standby.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { io as ioClient } from 'socket.io-client';
import type { Alert } from '../../contracts/alerts.js';
import { InfluxStore } from '../../server/storage/influx.js';
import { login, startInstance } from '../../scripts/bench/cluster-instances.js';
import { Receiver, rulesDir } from '../alerts/support.js';
import { startClusterServices, type ClusterServices } from '../support/cluster.js';
import { eventually } from '../support/platform.js';

let cs: ClusterServices;
let hooks: Receiver;
before(async () => { [cs, hooks] = await Promise.all([startClusterServices('fence'), Receiver.start()]); });
after(async () => { await cs?.stop(); await hooks?.close(); });

const ID = 'hot:f-1';

test('a leader paused past its lease raises, stores and notifies nothing when it resumes', { timeout: 90_000 }, async () => {
  const rules = rulesDir({ 'f.yaml': `
rules:
  - { id: hot, kind: threshold, metric: tube_temp_c, op: above, warning: 80, recover: 70, for: 3s }
channels:
  - { id: hook, type: webhook, url: "${hooks.url}/hook" }
routes:
  - { id: all, channels: [hook], groupWait: 0 }
` });
  const extra = { GANTRY_ALERTS_RULES_DIR: rules, GANTRY_ALERTS_TICK_MS: '100' };
  const a = await startInstance('a', cs.shared, extra);
  cs.instances.push(a);
  await eventually('a leads', () => cs.leader(), (l) => l === 'a');
  const b = await startInstance('b', cs.shared, extra);
  cs.instances.push(b);
  const cookie = await login(b.url);
  const alertOn = async (url: string) => ((await (await fetch(`${url}/api/alerts/${encodeURIComponent(ID)}`, { headers: { cookie } })).json()) as { alert?: Alert }).alert;

  const sock = ioClient(b.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
  const firings: Alert[] = [];
  sock.on('alert', (x: Alert) => { if (x.id === ID && x.state === 'firing') firings.push(x); });
  await new Promise<void>((res, rej) => { sock.once('connect', () => res()); sock.once('connect_error', rej); });

  // Over the limit every 200 ms until told to stop.
  const pub = await mqtt.connectAsync(cs.mosq.url, { clientId: `fence-${process.pid}` });
  let publishing = true;
  const loop = (async () => {
    while (publishing) {
      await pub.publishAsync('gantry/v1/ha/ct/f-1/telemetry', JSON.stringify({ samples: [{ ts: Date.now(), metrics: { tube_temp_c: 90 } }] }), { qos: 1 });
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  // Paused while the alert is pending on a: its 3 s "for" runs out while a is stopped.
  await eventually('pending on a', () => alertOn(a.url), (x) => x?.state === 'pending');
  a.child.kill('SIGSTOP');
  await eventually('b takes over', () => cs.leader(), (l) => l === 'b', 15_000);
  const raised = await eventually('b raises the alert', () => alertOn(b.url), (x) => x?.state === 'firing', 15_000);
  await eventually('b notifies', async () => hooks.about('/hook', ID).length, (n) => n >= 1);
  publishing = false;
  await loop;
  await pub.endAsync();

  a.child.kill('SIGCONT');
  // What a raised on resuming was refused; stepping down, it takes b's alert in its place.
  await eventually('a shows b\'s alert', () => alertOn(a.url), (x) => x?.startsAt === raised?.startsAt && x?.state === 'firing', 15_000);
  // a follows b again once it has noticed: an acknowledgement made on b reaches a's mirror.
  const ack = await fetch(`${b.url}/api/alerts/${encodeURIComponent(ID)}/ack`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ comment: 'fenced' }) });
  assert.equal(ack.status, 200);
  await eventually('a mirrors b', () => alertOn(a.url), (x) => x?.state === 'acknowledged' && x.ackComment === 'fenced', 15_000);
  // Whatever a did on resuming, it started before that: a second for its writes and requests to land.
  await new Promise((r) => setTimeout(r, 1000));

  const influx = new InfluxStore({ url: cs.influxd.url, database: 'gantry', retentionPolicy: 'raw' });
  const fired = await influx.query(`SELECT count("value") FROM "alert_event" WHERE "alert_id" = '${ID}' AND "event" = 'firing'`);
  const seen = { stored: Number(fired[0]?.[0]?.values[0]?.[1] ?? 0), notified: hooks.about('/hook', ID).map((h) => h.reason), atSocket: new Set(firings.map((f) => f.startsAt)).size };
  process.stdout.write(`# firing events stored ${seen.stored}, notifications ${seen.notified.join(',')}, distinct firings at the socket ${seen.atSocket}\n`);
  assert.deepEqual(seen, { stored: 1, notified: ['firing'], atSocket: 1 });
  assert.equal(await cs.leader(), 'b', 'b still leads');
  sock.close();
});
