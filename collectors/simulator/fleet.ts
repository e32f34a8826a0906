// A simulated fleet (device twins). Each scanner runs a small physical model per modality: an exam-driven
// daily cycle (load heats gradients and tubes with thermal lag), sensor noise, slow wear with age, and the
// scripted faults of faults.ts bending the model. Everything is a function of simulated time and a seed,
// so a backfill, a live run and a programmatic run (scenario.ts) agree.
import type { EventSample, Modality, StatusSample, TelemetryReading } from '../../contracts/index.js';
import { metricsFor } from '../../contracts/metric-catalog.js';
import { ExamSchedule } from './exams.js';
import { FAULTS, progress, type ActiveFault, type FaultKind } from './faults.js';
import { gaussian, seededRandom } from '../../lib/random.js';

export { FAULT_KINDS, type FaultKind } from './faults.js';

export interface ScannerSpec { site: string; modality: Modality; scannerId: string }

const SITES = ['central', 'riverside'];
const MIX: Modality[] = ['mri', 'ct', 'mri', 'ct', 'mri', 'ct', 'petct', 'xray', 'us'];
const YEAR = 365.25 * 86400000;

/** A deterministic fleet layout: scanners spread over two sites, MRI and CT first. */
export function fleetLayout(count: number): ScannerSpec[] {
  const specs: ScannerSpec[] = [];
  const perSiteCounter = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const site = SITES[i % SITES.length] as string;
    const modality = count <= 12 ? (i % 4 < 2 ? 'mri' : 'ct') : (MIX[Math.floor(i / SITES.length) % MIX.length] as Modality);
    const key = `${site}-${modality}`;
    const n = (perSiteCounter.get(key) ?? 0) + 1;
    perSiteCounter.set(key, n);
    specs.push({ site, modality, scannerId: `${site}-${modality}-${n}` });
  }
  return specs;
}

interface FaultState extends ActiveFault { warned: boolean; failed: boolean; leakPctPerS?: number; repairMs?: number }

export class SimulatedScanner {
  private readonly rand: () => number;
  private readonly names: ReadonlySet<string>;
  private readonly schedule: ExamSchedule;
  private readonly commissioned: number;
  private readonly off: (name: string) => number;
  private faults: FaultState[] = [];
  private heliumPct: number;
  private coldheadExtraK = 0;
  private lagged = new Map<string, number>();
  private arcs: number[] = [];
  private lastTs: number | undefined;
  private statuses: StatusSample[] = [];
  private events: EventSample[] = [];

  constructor(readonly spec: ScannerSpec, seed: number) {
    this.rand = seededRandom(seed);
    this.names = new Set(metricsFor(spec.modality).map((m) => m.name));
    this.schedule = new ExamSchedule(spec.modality, seed);
    this.commissioned = Date.UTC(2020, 0, 1) + this.rand() * 5 * YEAR;
    this.heliumPct = 78 + this.rand() * 17;
    const offsets = new Map<string, number>();
    this.off = (name) => {
      let v = offsets.get(name);
      if (v === undefined) { v = gaussian(this.rand); offsets.set(name, v); }
      return v;
    };
  }

  /**
   * Starts a fault now (or at `onsetMs`). `rate`: for helium_leak the level loss in % per second (so
   * failure is when the level reaches 50 %); for the others, fault progress in % per second.
   */
  injectFault(kind: FaultKind, now: number, rate = 0.5, failureMs?: number): void {
    const seconds = kind === 'helium_leak' ? Math.max(1, (this.heliumPct - 50) / rate) : 100 / rate;
    this.scheduleFault(kind, now, failureMs ?? now + seconds * 1000);
  }

  /** `repairMs`: when a service visit puts the scanner back up (clearFault); absent, it stays down. */
  scheduleFault(kind: FaultKind, onsetMs: number, failureMs: number, repairMs?: number): void {
    this.faults = this.faults.filter((f) => f.kind !== kind);
    this.faults.push({ kind, onsetMs, failureMs, warned: false, failed: false, ...(repairMs !== undefined ? { repairMs } : {}) });
  }

  clearFault(now = Date.now()): void {
    const had = this.faults.length > 0;
    for (const f of this.faults) this.events.push({ ts: now, type: 'info', code: 'SVC-REPAIR', detail: `${f.kind} repaired` });
    this.faults = [];
    this.coldheadExtraK = 0;
    if (this.spec.modality === 'mri') this.heliumPct = 85;
    if (had) this.statuses.push({ ts: now, state: 'up', reason: 'repaired' });
  }

  get activeFault(): FaultKind | undefined { return this.faults[0]?.kind; }

  /** Status changes and events produced by the samples taken since the last call. */
  takeNotices(): { statuses: StatusSample[]; events: EventSample[] } {
    const out = { statuses: this.statuses, events: this.events };
    this.statuses = [];
    this.events = [];
    return out;
  }

  private p(kind: FaultKind, now: number): number {
    const f = this.faults.find((x) => x.kind === kind);
    return f ? progress(f, now) : 0;
  }

  private lag(name: string, target: number, tauMin: number, dt: number): number {
    const prev = this.lagged.get(name) ?? target;
    const v = prev + (target - prev) * (1 - Math.exp(-dt / (tauMin * 60)));
    this.lagged.set(name, v);
    return v;
  }

  private noticeFaults(now: number): void {
    for (const f of this.faults) {
      const p = progress(f, now);
      const def = FAULTS[f.kind];
      if (p > 0 && f.kind === 'helium_leak' && f.leakPctPerS === undefined) {
        f.leakPctPerS = Math.max(0, this.heliumPct - 50) / Math.max(1, (f.failureMs - now) / 1000);
      }
      if (p >= 0.7 && !f.warned) {
        f.warned = true;
        this.events.push({ ts: now, type: 'warning', code: `${def.errorCode}-W`, detail: `${f.kind} developing` });
        this.statuses.push({ ts: now, state: 'degraded', reason: `${f.kind} developing` });
      }
      if (p >= 1 && !f.failed) {
        f.failed = true;
        this.events.push({ ts: now, type: 'error', code: def.errorCode, detail: `${f.kind}: ${def.failureCondition}` });
        this.statuses.push({ ts: now, state: 'down', reason: `${f.kind}: ${def.failureCondition}` });
      }
    }
    // A repair is the service visit itself: at its time, not at the next sample after a coarse backfill step.
    const repaired = this.faults.find((f) => f.failed && f.repairMs !== undefined && now >= f.repairMs);
    if (repaired?.repairMs !== undefined) this.clearFault(repaired.repairMs);
  }

  sample(now: number, dtSeconds: number): TelemetryReading {
    if (this.lastTs === undefined) this.statuses.push({ ts: now, state: 'up', reason: 'simulator start' });
    for (const t of this.schedule.transitions(this.lastTs ?? now, now)) {
      this.events.push({ ts: t.ts, type: t.type, examType: t.exam.examType });
    }
    this.lastTs = now;
    this.noticeFaults(now);
    const dt = Math.max(0, dtSeconds);
    const exam = this.schedule.at(now);
    const load = exam ? exam.intensity : 0;
    const ageYears = (now - this.commissioned) / YEAR;
    const n = (sigma: number) => gaussian(this.rand) * sigma;
    const hourAngle = ((now % 86400000) / 86400000) * 2 * Math.PI;
    const m: Record<string, number> = {};

    // Cooling water is shared by every modality with a chiller.
    const chillerP = this.p('chiller_failure', now);
    const waterBase = 15 + this.off('water') * 0.8 + 0.8 * load;
    const water = waterBase + (26 - waterBase) * chillerP;
    m.chiller_water_temp_c = water + n(0.1);
    m.chiller_flow_l_min = 50 + this.off('flow') * 2 - (30 + this.off('flow') * 2) * Math.min(chillerP, 1.2) + n(0.4);
    m.room_temp_c = 20.5 + this.off('room') * 0.5 + 0.8 * Math.sin(hourAngle - 2) + 0.4 * load + n(0.05);
    m.room_humidity_pct = 47 + this.off('hum') * 3 + 4 * Math.sin(hourAngle) + n(0.3);

    if (this.spec.modality === 'mri') this.mri(m, now, dt, load, ageYears, water, n);
    else if (this.spec.modality === 'ct' || this.spec.modality === 'petct') this.ct(m, now, dt, load, ageYears, water, n, exam?.intensity);
    else if (this.spec.modality === 'xray') {
      m.tube_temp_c = this.lag('tube', 30 + 22 * load, 8, dt) + n(0.2);
      m.detector_temp_c = 27 + this.off('det') + 3 * load + n(0.1);
      m.exposure_count = Math.max(0, Math.round(load * 45 + n(2)));
      m.power_kw = 1 + 30 * load + n(0.3);
    } else {
      m.probe_temp_c = this.lag('probe', 29 + 7 * load, 3, dt) + n(0.1);
      m.system_temp_c = this.lag('sys', 33 + 8 * load, 10, dt) + n(0.1);
      m.fan_rpm = 2200 + this.off('fan') * 100 + 900 * load + n(20);
      m.power_kw = 0.3 + 0.35 * load + n(0.01);
    }
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(m)) if (this.names.has(k)) metrics[k] = Math.round(v * 1000) / 1000;
    return { ...this.spec, ts: now, metrics };
  }

  private mri(m: Record<string, number>, now: number, dt: number, load: number, ageYears: number, water: number, n: (s: number) => number): void {
    const chillerP = this.p('chiller_failure', now);
    const coldP = this.p('coldhead_failure', now);
    const tripped = chillerP >= 1.05 || coldP >= 1.3;
    // A stopped compressor lets the cold head warm about 1 K per hour; a running one pulls it back.
    this.coldheadExtraK = tripped ? Math.min(30, this.coldheadExtraK + dt / 3600) : this.coldheadExtraK * Math.exp(-dt / 1800);
    const chBase = 4.05 + 0.015 * ageYears + this.off('ch') * 0.03;
    const coldhead = chBase + (6 - chBase) * coldP ** 2 + this.coldheadExtraK;
    const excess = Math.max(0, coldhead - 4.3);
    const leak = this.faults.find((f) => f.kind === 'helium_leak' && progress(f, now) > 0);
    const leakPctPerS = leak?.leakPctPerS ?? 0;
    // 1 % of a 1500 L cryostat is 15 L. Demo leaks are time-compressed far past physics, so the reported rate
    // stops at a quench's (the whole fill in about a minute), inside the catalog's plausible range.
    const boiloff = Math.min(2e6, 0.02 + excess * 3 + leakPctPerS * 86400 * 15);
    this.heliumPct = Math.max(0, this.heliumPct - ((0.02 + excess * 3) / 15) * (dt / 86400) - leakPctPerS * dt);
    m.helium_level_pct = this.heliumPct + n(0.03);
    m.helium_boiloff_l_per_day = Math.max(0, boiloff + n(0.01));
    m.helium_pressure_psi = 1 + this.off('press') * 0.1 + excess * 1.2 - (leak ? 0.35 : 0) + n(0.02);
    m.coldhead_temp_k = coldhead + n(0.01);
    m.shield_temp_k = 41 + this.off('shield') + (coldhead - 4.05) * 9 + n(0.1);
    m.magnet_temp_k = 4.18 + excess * 0.12 + n(0.005);
    m.compressor_running = tripped ? 0 : 1;
    const driftP = this.p('gradient_amp_drift', now);
    const sign = this.off('drift') >= 0 ? 1 : -1;
    m.gradient_amp_drift_pct = this.off('drift') * 0.1 + sign * 3 * driftP ** 1.5 * (1 + 0.05 * load) + n(0.03);
    m.gradient_coil_temp_c = this.lag('grad', 24 + 16 * load + (water - 15) * 1.2, 10, dt) + n(0.15);
    m.rf_amp_reflected_power_w = 10 + 15 * load + n(1);
    m.power_kw = 12 + 55 * load + (tripped ? 0 : 9) + n(0.5);
    m.vibration_mm_s = 0.5 + 0.04 * ageYears + (tripped ? 0 : 0.3) + n(0.03);
  }

  private ct(m: Record<string, number>, now: number, dt: number, load: number, ageYears: number, water: number, n: (s: number) => number, intensity?: number): void {
    const tubeP = this.p('tube_ageing', now);
    const bearingP = this.p('bearing_wear', now);
    const anode = this.lag('anode', load * 65 + 8 * tubeP, 3 + 3 * tubeP, dt);
    m.anode_heat_pct = Math.max(0, anode + n(0.5));
    m.tube_temp_c = this.lag('tube', 35 + 25 * (anode / 70) + (water - 15) * 1.5 + 6 * tubeP, 12, dt) + n(0.2);
    m.tube_current_ma = intensity ? 150 + 300 * intensity + n(5) : 0;
    // Arcs are Poisson events; the metric is the count in the last hour, so it does not depend on the step.
    const arcsPerHour = 0.05 + 0.02 * ageYears + 7.8 * tubeP ** 3;
    let k = poisson(arcsPerHour * dt / 3600, this.rand);
    while (k-- > 0) this.arcs.push(now - this.rand() * dt * 1000);
    this.arcs = this.arcs.filter((t) => t > now - 3600000);
    m.arc_count = this.arcs.length;
    const vibBase = 0.7 + this.off('vib') * 0.1 + 0.06 * ageYears;
    m.vibration_mm_s = vibBase + (7 - vibBase) * bearingP ** 2.5 + 0.2 * load + n(0.04);
    m.gantry_rotation_s = 0.33 + 0.12 * bearingP ** 2 + n(0.002);
    m.detector_temp_c = (this.spec.modality === 'petct' ? 19 : 31) + this.off('det') * 0.5 + (water - 15) * 0.4 + n(0.05);
    m.coincidence_rate_kcps = intensity ? 150 + 200 * intensity + n(10) : 0;
    m.power_kw = 8 + 70 * load + n(0.5);
  }
}

function poisson(lambda: number, rand: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = rand(); p > limit; p *= rand()) k++;
  return k;
}
