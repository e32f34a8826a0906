// A what-if experiment: the baseline model and the model with one change, simulated over the same seeds
// (common random numbers), compared metric by metric with paired-difference confidence intervals.
import type { Scenario, SiteModel, WhatIfMetric, WhatIfResult } from '../../contracts/whatif.js';
import { simulate, type Outage, type ReplicationStats } from './simulate.js';
import { estimate } from './stats.js';
import { HttpError } from '../lib/http-error.js';

export class ScenarioError extends HttpError {
  constructor(message: string) { super(400, message); }
}

export interface ExperimentOptions { replications: number; days: number; warmupDays: number; seed: number }

export interface Applied { model: SiteModel; outages: Outage[] }

/** The model with the scenario's one change. Pure; throws ScenarioError when the change does not fit the site. */
export function applyScenario(base: SiteModel, scenario: Scenario, warmupDays: number): Applied {
  const model: SiteModel = structuredClone(base);
  const findModality = (modality: string) => {
    const m = model.modalities.find((x) => x.modality === modality);
    if (!m) throw new ScenarioError(`site ${base.site} has no ${modality} in its model`);
    return m;
  };
  switch (scenario.kind) {
    case 'add-scanner': {
      const m = findModality(scenario.modality);
      const avg = (f: (s: SiteModel['modalities'][number]['scanners'][number]) => number, def: number) =>
        m.scanners.length ? m.scanners.reduce((a, s) => a + f(s), 0) / m.scanners.length : def;
      m.scanners.push({ id: `${base.site}-${m.modality}-new`, availability: scenario.availability ?? avg((s) => s.availability, 0.98), mttrHours: avg((s) => s.mttrHours, 8) });
      return { model, outages: [] };
    }
    case 'volume': {
      const m = findModality(scenario.modality);
      m.arrivalsPerHour = m.arrivalsPerHour.map((r) => r * (1 + scenario.pct / 100));
      return { model, outages: [] };
    }
    case 'scanner-down': {
      if (!model.modalities.some((m) => m.scanners.some((s) => s.id === scenario.scannerId))) {
        throw new ScenarioError(`scanner ${scenario.scannerId} is not in the model of site ${base.site}`);
      }
      const start = (warmupDays + (scenario.startDay ?? 0)) * 24;
      return { model, outages: [{ scannerId: scenario.scannerId, start, end: start + scenario.days * 24 }] };
    }
    case 'extended-hours': {
      const m = findModality(scenario.modality);
      const { start, end } = m.openHours;
      const open = end > start ? end - start : end + 24 - start;
      if (open >= 24) throw new ScenarioError(`${scenario.modality} at ${base.site} is already open around the clock`);
      const total = open + Math.min(24 - open, scenario.extraHours);
      const newEnd = start + total;
      m.openHours = total >= 24 ? { start: 0, end: 24 } : { start, end: newEnd > 24 ? newEnd - 24 : newEnd };
      return { model, outages: [] };
    }
    case 'add-radiologist':
      model.reading.radiologists += scenario.count;
      return { model, outages: [] };
  }
}

interface MetricDef { name: string; scope: string; unit: string; get: (s: ReplicationStats) => number }

function metricDefs(model: SiteModel): MetricDef[] {
  const defs: MetricDef[] = [];
  for (const { modality } of model.modalities) {
    const m = (s: ReplicationStats) => s.modalities[modality];
    defs.push(
      { name: 'wait_mean', scope: modality, unit: 'min', get: (s) => m(s)?.waitMeanMin ?? NaN },
      { name: 'wait_p90', scope: modality, unit: 'min', get: (s) => m(s)?.waitP90Min ?? NaN },
      { name: 'utilization', scope: modality, unit: '%', get: (s) => m(s)?.utilizationPct ?? NaN },
      { name: 'exams_per_day', scope: modality, unit: 'exams/day', get: (s) => m(s)?.examsPerDay ?? NaN },
    );
  }
  defs.push(
    { name: 'turnaround_mean', scope: 'reading', unit: 'h', get: (s) => s.reading.turnaroundMeanH },
    { name: 'turnaround_p90', scope: 'reading', unit: 'h', get: (s) => s.reading.turnaroundP90H },
    { name: 'utilization', scope: 'reading', unit: '%', get: (s) => s.reading.utilizationPct },
    { name: 'wait_mean', scope: 'site', unit: 'min', get: (s) => s.site.waitMeanMin },
    { name: 'unfinished', scope: 'site', unit: 'patients', get: (s) => s.site.unfinished },
  );
  return defs;
}

/** Candidate rate for thinning: twice the baseline peak, so +100 % volume still fits under it. */
function arrivalCap(model: SiteModel): Record<string, number> {
  return Object.fromEntries(model.modalities.map((m) => [m.modality, 2 * Math.max(0, ...m.arrivalsPerHour)]));
}

export function runReplications(model: SiteModel, outages: Outage[], opts: ExperimentOptions, cap = arrivalCap(model)): ReplicationStats[] {
  const out: ReplicationStats[] = [];
  for (let r = 0; r < opts.replications; r++) {
    out.push(simulate(model, { seed: opts.seed + r, warmupDays: opts.warmupDays, days: opts.days, arrivalCap: cap, outages }));
  }
  return out;
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null);

export function runWhatIf(base: SiteModel, scenario: Scenario, opts: ExperimentOptions): WhatIfResult {
  const started = performance.now();
  const applied = applyScenario(base, scenario, opts.warmupDays);
  const cap = arrivalCap(base);
  const baseline = runReplications(base, [], opts, cap);
  const changed = runReplications(applied.model, applied.outages, opts, cap);
  const metrics: WhatIfMetric[] = metricDefs(base).map((d) => {
    const b = baseline.map(d.get);
    const s = changed.map(d.get);
    const diff = estimate(s.map((v, i) => v - (b[i] as number)));
    const r = (e: { mean: number; ciLow: number; ciHigh: number }) => ({ mean: round(e.mean), ciLow: round(e.ciLow), ciHigh: round(e.ciHigh) });
    return {
      name: d.name, scope: d.scope, unit: d.unit,
      baseline: r(estimate(b)), scenario: r(estimate(s)),
      difference: { ...r(diff), significant: diff.ciLow > 0 || diff.ciHigh < 0 },
    };
  });
  return {
    site: base.site, scenario, replications: opts.replications, days: opts.days, warmupDays: opts.warmupDays, seed: opts.seed,
    model: base, metrics, elapsedMs: Math.round(performance.now() - started),
  };
}
