// Active PACS probes against a real Orthanc: healthy C-ECHO / C-FIND / C-GET of canary studies produce
// latency points in InfluxDB and live Socket.IO events; each failure cause is caused for real (wrong called
// AE title with AE checking on, a server that accepts TCP and never answers, Orthanc stopped) and counted
// under its own cause.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/index.js';
import type { PacsDerived, PacsProbeResult } from '../../contracts/pacs.js';
import { eventually, startTestPlatform, tempDir, type TestPlatform } from '../support/platform.js';
import { canaryTarget, startCanaryPacs, startSilentServer, type CanaryPacs } from './support.js';

type Rows = { tags?: Record<string, string>; values: unknown[][] }[];

async function failuresByCause(p: TestPlatform, pacs: string): Promise<Record<string, number>> {
  const res = await p.influx.query(`SELECT count("duration_ms") FROM "pacs_probe" WHERE "pacs" = '${pacs}' AND "result" = 'fail' GROUP BY "cause"`);
  const out: Record<string, number> = {};
  for (const s of (res[0] ?? []) as Rows) out[s.tags?.cause ?? '?'] = Number(s.values[0]?.[1]);
  return out;
}

describe('PACS probes against a private Orthanc', () => {
  let pacs: CanaryPacs;
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let p: TestPlatform;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const orthancDir = tempDir('orthanc');
  const live: { probes: PacsProbeResult[]; derived: PacsDerived[] } = { probes: [], derived: [] };

  before(async () => {
    pacs = await startCanaryPacs(orthancDir);
    silent = await startSilentServer();
    const o = pacs.orthanc;
    p = await startTestPlatform({
      'pacs.derivedIntervalMs': 300,
      'pacs.targets': [
        canaryTarget(pacs, 'main'),
        { id: 'wrong-ae', site: 'test', host: o.host, port: o.dicomPort, calledAet: 'NOT-ORTHANC', echo: { intervalMs: 200, timeoutMs: 2000 }, find: { enabled: false }, retrieve: { enabled: false } },
        { id: 'hung', site: 'test', host: '127.0.0.1', port: silent.port, calledAet: 'ANY', echo: { intervalMs: 100, timeoutMs: 400 }, find: { enabled: false }, retrieve: { enabled: false } },
      ],
    });
    socket = connectSocket(p.url, { transports: ['websocket'], extraHeaders: { cookie: p.adminCookie } });
    socket.on('pacs:probe', (r) => live.probes.push(r));
    socket.on('pacs:derived', (d) => live.derived.push(d));
  });
  after(async () => { socket?.close(); await p?.close(); await silent?.close(); await pacs?.orthanc.stop(); rmSync(orthancDir, { recursive: true, force: true }); });

  test('healthy C-ECHO, C-FIND and retrieval of both canaries land in InfluxDB with latencies', async () => {
    const rows = await eventually('echo, find and retrieve points of pacs main', async () => {
      const res = await p.influx.query(`SELECT count("duration_ms"), mean("duration_ms") FROM "pacs_probe" WHERE "pacs" = 'main' AND "result" = 'ok' GROUP BY "probe", "age_bucket"`);
      return (res[0] ?? []) as Rows;
    }, (s) => s.length === 4 && s.every((x) => Number(x.values[0]?.[1]) >= 2));
    const keys = rows.map((r) => `${r.tags?.probe}/${r.tags?.age_bucket}`).sort();
    assert.deepEqual(keys, ['echo/', 'find/', 'retrieve/lt_3y', 'retrieve/lt_7d']);
    for (const r of rows) assert.ok(Number(r.values[0]?.[2]) > 0, 'latency recorded');
    const found = await p.influx.query(`SELECT last("matches") FROM "pacs_probe" WHERE "pacs" = 'main' AND "probe" = 'find'`);
    assert.equal(found[0]?.[0]?.values[0]?.[1], 1, 'C-FIND of today matches the one recent canary');
    const get = await p.influx.query(`SELECT last("instances"), last("first_instance_ms"), last("mb_per_s"), last("bytes") FROM "pacs_probe" WHERE "pacs" = 'main' AND "canary" = 'year-old'`);
    const [, instances, firstMs, mbps, bytes] = get[0]?.[0]?.values[0] ?? [];
    assert.equal(instances, 3);
    assert.ok(Number(firstMs) > 0 && Number(mbps) > 0 && Number(bytes) > 3 * 131072, `first=${String(firstMs)} mb/s=${String(mbps)} bytes=${String(bytes)}`);
  });

  test('Orthanc statistics and Prometheus metrics are scraped into InfluxDB', async () => {
    const rest = await eventually('REST statistics', () => p.influx.query(`SELECT last("count_instances"), last("disk_size_bytes") FROM "pacs_stats" WHERE "pacs" = 'main' AND "source" = 'rest'`),
      (r) => r[0]?.[0] !== undefined);
    const [, instances, disk] = rest[0]?.[0]?.values[0] ?? [];
    assert.equal(instances, 6);
    assert.ok(Number(disk) > 6 * 131072, `disk size ${String(disk)}`);
    const prom = await eventually('Prometheus scrape', () => p.influx.query(`SELECT last("orthanc_count_instances"), last("orthanc_jobs_failed") FROM "pacs_stats" WHERE "pacs" = 'main' AND "source" = 'prometheus'`),
      (r) => r[0]?.[0] !== undefined);
    assert.deepEqual(prom[0]?.[0]?.values[0]?.slice(1), [6, 0]);
  });

  test('wrong called AE title is association_rejected, a silent server is timeout', async () => {
    const wrong = await eventually('rejections counted', () => failuresByCause(p, 'wrong-ae'), (c) => (c.association_rejected ?? 0) >= 2);
    assert.deepEqual(Object.keys(wrong), ['association_rejected']);
    const code = await p.influx.query(`SELECT last("code") FROM "pacs_probe" WHERE "pacs" = 'wrong-ae'`);
    assert.equal(code[0]?.[0]?.values[0]?.[1], 'called_ae_not_recognized');
    const hung = await eventually('timeouts counted', () => failuresByCause(p, 'hung'), (c) => (c.timeout ?? 0) >= 2);
    assert.deepEqual(Object.keys(hung), ['timeout']);
  });

  test('figures and derived signals are pushed live over Socket.IO', async () => {
    // The socket connected just before this suite's first test; the echo probes (every 100-200 ms) fill the
    // list long before main's next retrieval (every 500 ms plus its duration), so wait for that one itself.
    await eventually('a live successful retrieval of main', async () => live.probes.some((r) => r.pacsId === 'main' && r.probe === 'retrieve' && r.ok), (ok) => ok);
    await eventually('live probe events', async () => live.probes.length, (n) => n > 5);
    const d = await eventually('derived with latency and failure rates', async () => live.derived.filter((x) => x.pacsId === 'wrong-ae' || x.pacsId === 'main'),
      (list) => list.some((x) => x.pacsId === 'main' && x.latency.some((l) => l.probe === 'retrieve')) && list.some((x) => x.pacsId === 'wrong-ae'));
    const main = [...d].reverse().find((x) => x.pacsId === 'main') as PacsDerived;
    const lat = main.latency.find((l) => l.probe === 'retrieve' && l.ageBucket === 'lt_7d');
    assert.ok(lat && lat.p50Ms <= lat.p95Ms && lat.p95Ms <= lat.maxMs, JSON.stringify(lat));
    const wrong = [...d].reverse().find((x) => x.pacsId === 'wrong-ae') as PacsDerived;
    assert.deepEqual(wrong.failures.map((f) => [f.probe, f.cause, f.rate]), [['echo', 'association_rejected', 1]]);
    assert.ok((wrong.probes.find((s) => s.probe === 'echo')?.consecutiveFailures ?? 0) >= 1);
    const stored = await eventually('derived in InfluxDB', () => p.influx.query(`SELECT last("rate") FROM "pacs_failure_rate" WHERE "pacs" = 'wrong-ae' AND "cause" = 'association_rejected'`), (r) => r[0]?.[0] !== undefined);
    assert.equal(stored[0]?.[0]?.values[0]?.[1], 1);
  });

  test('Orthanc stopped: probes fail as tcp_refused', async () => {
    const before = (await failuresByCause(p, 'main')).tcp_refused ?? 0;
    await pacs.orthanc.stop();
    await eventually('refusals counted', () => failuresByCause(p, 'main'), (x) => (x.tcp_refused ?? 0) >= before + 3);
    // While Orthanc shuts down it may abort associations in flight; once it is gone every probe is refused.
    const lastCodes = async () => {
      const last = await p.influx.query(`SELECT last("code") FROM "pacs_probe" WHERE "pacs" = 'main' GROUP BY "probe"`);
      return (last[0] ?? []).map((s) => `${s.tags?.probe}:${String(s.values[0]?.[1])}`).sort();
    };
    const codes = await eventually('every probe kind refused', lastCodes, (c) => c.every((x) => x.endsWith(':econnrefused')) && c.length === 3);
    assert.deepEqual(codes, ['echo:econnrefused', 'find:econnrefused', 'retrieve:econnrefused']);
  });
});
