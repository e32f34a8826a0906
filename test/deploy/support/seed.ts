// Data for the dashboard test. Telemetry comes from the project's simulator (SimulatedScanner.sample) and
// the production line-protocol encoder. The other measurements are SEEDED FIXTURES of the documented
// schema of work in progress on other branches (scanner status/events, PACS probes and storage, alert
// events); docs/deployment.md and the deploy report list that schema so it can be reconciled at merge.
import { Point } from '@influxdata/influxdb-client';
import { fleetLayout, SimulatedScanner, type ScannerSpec } from '../../../collectors/simulator/fleet.js';
import { readingToLine } from '../../../server/telemetry/line-protocol.js';

const MIN = 60_000;
/** The seeded fleet: 18 scanners, every modality, two sites. */
export const FLEET: readonly ScannerSpec[] = fleetLayout(18);

/** Simulated telemetry of an 18-scanner fleet (every modality, two sites) over `hours`, one sample per `stepMs`. */
export function simulatedTelemetry(now: number, hours: number, stepMs: number): { lines: string[]; fleet: ScannerSpec[] } {
  const fleet = [...FLEET];
  const scanners = fleet.map((spec, i) => new SimulatedScanner(spec, 7919 + i));
  const start = now - hours * 60 * MIN;
  const leaking = scanners.find((s) => s.spec.modality === 'mri');
  leaking?.injectFault('helium_leak', start + (hours * 60 * MIN) / 2, 0.002);
  const lines: string[] = [];
  for (let t = start; t <= now; t += stepMs) {
    for (const s of scanners) lines.push(readingToLine(s.sample(t, stepMs / 1000)));
  }
  return { lines, fleet };
}

type State = 'up' | 'maintenance' | 'degraded' | 'down';

function status(s: ScannerSpec, ts: number, state: State, reason = ''): string {
  return new Point('scanner_status').tag('site', s.site).tag('modality', s.modality).tag('scanner', s.scannerId)
    // Without state_code on purpose: docs/downtime.md says it may be absent, so the dashboards must not need it.
    .stringField('state', state).stringField('reason', reason).timestamp(String(ts)).toLineProtocol() as string;
}

function event(s: ScannerSpec, ts: number, type: string, code: string, detail: string, examType = ''): string {
  return new Point('scanner_event').tag('site', s.site).tag('modality', s.modality).tag('scanner', s.scannerId).tag('type', type)
    .stringField('code', code).stringField('exam_type', examType).stringField('detail', detail).timestamp(String(ts)).toLineProtocol() as string;
}

/** scanner_status and scanner_event fixtures: one scanner down and back, one in maintenance, one degraded then down. */
export function statusFixtures(now: number, fleet: ScannerSpec[]): string[] {
  const lines: string[] = [];
  const start = now - 3 * 60 * MIN;
  fleet.forEach((s, i) => {
    lines.push(status(s, start + i * 1000, 'up'));
    for (let t = start + 10 * MIN + i * 1000; t < now; t += 40 * MIN) {
      lines.push(event(s, t, 'exam_start', '', '', 'routine'), event(s, t + 25 * MIN, 'exam_end', '', '', 'routine'));
    }
  });
  const [a, b, c] = fleet as [ScannerSpec, ScannerSpec, ScannerSpec];
  lines.push(
    status(a, now - 90 * MIN, 'down', 'compressor trip'), event(a, now - 90 * MIN, 'error', 'CMP-12', 'compressor stopped'),
    status(a, now - 60 * MIN, 'up'),
    status(b, now - 120 * MIN, 'maintenance', 'planned preventive maintenance'),
    status(c, now - 30 * MIN, 'degraded', 'coil channel fault'), event(c, now - 30 * MIN, 'warning', 'RF-3', 'coil channel 7 open'),
    status(c, now - 10 * MIN, 'down', 'gradient amplifier fault'), event(c, now - 10 * MIN, 'error', 'GPA-44', 'gradient amplifier over-current'),
  );
  return lines;
}

const PACS = [{ pacs: 'central-pacs', site: 'central' }, { pacs: 'riverside-pacs', site: 'riverside' }];
const AGE = ['lt_7d', 'lt_90d', 'lt_1y', 'lt_3y', 'ge_3y'];
const CAUSES = ['tcp_timeout', 'association_rejected', 'dimse_status'];

/** pacs_probe every minute per probe kind, pacs_storage every 5 minutes, pacs_forecast every 15 minutes. */
export function pacsFixtures(now: number): string[] {
  const lines: string[] = [];
  const start = now - 3 * 60 * MIN;
  PACS.forEach(({ pacs, site }, p) => {
    let n = 0;
    for (let t = start; t <= now; t += MIN) {
      for (const probe of ['echo', 'find', 'retrieve']) {
        n += 1;
        const ok = n % 23 !== 0;
        const pt = new Point('pacs_probe').tag('pacs', pacs).tag('site', site).tag('probe', probe).tag('result', ok ? 'ok' : 'fail');
        if (!ok) pt.tag('cause', CAUSES[n % CAUSES.length] as string);
        const bucket = AGE[n % AGE.length] as string;
        if (probe === 'retrieve') pt.tag('age_bucket', bucket);
        const base = probe === 'echo' ? 8 : probe === 'find' ? 60 : 400 * (1 + AGE.indexOf(bucket));
        pt.floatField('duration_ms', base * (1 + p * 0.3) + (n % 7) * 3).intField('ok', ok ? 1 : 0);
        if (!ok) pt.stringField('code', 'A700');
        lines.push(pt.timestamp(String(t)).toLineProtocol() as string);
      }
    }
    for (let t = start, k = 0; t <= now; t += 5 * MIN, k++) {
      for (const [tier, capacity] of [['online', 40e12], ['archive', 400e12]] as const) {
        const used = capacity * (tier === 'online' ? 0.82 : 0.55) + k * 2e9;
        lines.push(new Point('pacs_storage').tag('pacs', pacs).tag('site', site).tag('tier', tier).tag('source', 'orthanc')
          .floatField('used_bytes', used).floatField('capacity_bytes', capacity).floatField('fill_pct', (100 * used) / capacity).timestamp(String(t)).toLineProtocol() as string);
      }
    }
    for (let t = start; t <= now; t += 15 * MIN) {
      for (const tier of ['online', 'archive']) {
        lines.push(new Point('pacs_forecast').tag('pacs', pacs).tag('site', site).tag('tier', tier).floatField('used_bytes', 1e12).intField('samples', 30)
          .floatField('capacity_bytes', 4e13).floatField('fill_pct', 82).floatField('growth_bytes_per_day', 5e10)
          .floatField('days_to_full', 140).floatField('days_to_full_low', 120).floatField('days_to_full_high', 170).timestamp(String(t)).toLineProtocol() as string);
      }
    }
  });
  return lines;
}

/** alert_event: a helium alert pending -> firing -> acknowledged, an arc alert firing -> resolved. */
export function alertFixtures(now: number, fleet: ScannerSpec[]): string[] {
  const mri = fleet.find((s) => s.modality === 'mri') as ScannerSpec;
  const ct = fleet.find((s) => s.modality === 'ct') as ScannerSpec;
  const change = (s: ScannerSpec, rule: string, severity: string, state: string, ev: string, value: number, ts: number) => {
    const alert = { id: `${rule}:${s.scannerId}`, ruleId: rule, site: s.site, modality: s.modality, scannerId: s.scannerId, severity, state, value };
    return new Point('alert_event').tag('alert_id', alert.id).tag('rule_id', rule).tag('site', s.site).tag('scanner_id', s.scannerId)
      .tag('state', state).tag('event', ev).stringField('severity', severity).floatField('value', value).stringField('json', JSON.stringify(alert))
      .timestamp(String(ts)).toLineProtocol() as string;
  };
  return [
    change(mri, 'helium-low', 'warning', 'pending', 'condition', 59.5, now - 50 * MIN),
    change(mri, 'helium-low', 'critical', 'firing', 'fired', 49.8, now - 45 * MIN),
    change(mri, 'helium-low', 'critical', 'acknowledged', 'acknowledged', 49.1, now - 40 * MIN),
    change(mri, 'helium-low', 'critical', 'firing', 'escalated', 48.0, now - 5 * MIN),
    change(ct, 'ct-arcs', 'warning', 'firing', 'fired', 4, now - 100 * MIN),
    change(ct, 'ct-arcs', 'warning', 'resolved', 'resolved', 1, now - 70 * MIN),
  ];
}
