// POST /api/whatif behind the route: gathers the site's scanners, their measured availability (downtime
// analytics over status history) and its exam events, builds the model and runs the experiment.
import type { SiteModel, WhatIfRequest, WhatIfResult } from '../../contracts/whatif.js';
import type { DowntimeService } from '../downtime/service.js';
import { tallyScanner } from '../downtime/metrics.js';
import { applyScenario } from './experiment.js';
import { WhatIfRunner } from './runner.js';
import { buildSiteModel, type ExamEvent, type ScannerFacts } from './site-model.js';
import { DAY } from '../../contracts/units.js';
import { HttpError } from '../lib/http-error.js';

export interface ExamEventSource {
  examEvents(site: string, from: number, to: number): Promise<(ExamEvent & { site: string })[]>;
}

export interface WhatIfSettings {
  replications: number;
  days: number;
  warmupDays: number;
  seed: number;
  timezone: string;
  fitDays: number;
  availabilityDays: number;
  radiologists: number;
}


export class SiteNotFoundError extends HttpError {
  constructor(message: string) { super(404, message); }
}

export class WhatIfService {
  constructor(
    private readonly deps: { downtime: DowntimeService; exams: ExamEventSource; now?: () => number },
    private readonly settings: WhatIfSettings,
    private readonly runner = new WhatIfRunner(),
  ) {}

  /** Scanners of the site with availability and MTTR measured over the last availabilityDays. */
  async scannerFacts(site: string, to: number): Promise<ScannerFacts[]> {
    const from = to - this.settings.availabilityDays * DAY;
    const histories = await this.deps.downtime.histories({ from, to, site });
    return histories.map((h) => {
      const t = tallyScanner(h.intervals, from, to, 0);
      const operating = t.ms.up + t.ms.degraded;
      const known = operating + t.ms.down;
      return {
        id: h.scannerId, modality: h.modality,
        ...(known > 0 ? { availability: operating / known } : {}),
        ...(t.failures > 0 ? { mttrHours: t.failureMs / 3_600_000 / t.failures } : {}),
      };
    });
  }

  async run(req: WhatIfRequest): Promise<WhatIfResult> {
    const s = this.settings;
    const opts = { replications: req.replications ?? s.replications, days: req.days ?? s.days, warmupDays: req.warmupDays ?? s.warmupDays, seed: req.seed ?? s.seed };
    const model = req.model ? { ...req.model, site: req.site } : await this.model(req.site);
    applyScenario(model, req.scenario, opts.warmupDays); // a scenario that does not fit the site fails here, not in the worker
    return this.runner.run(model, req.scenario, opts);
  }

  /** The baseline model of a site as built from its data (what POST /api/whatif uses without a model). */
  async model(site: string): Promise<SiteModel> {
    const s = this.settings;
    const to = (this.deps.now ?? Date.now)();
    const fitFrom = to - s.fitDays * DAY;
    const [facts, events] = await Promise.all([this.scannerFacts(site, to), this.deps.exams.examEvents(site, fitFrom, to)]);
    const scanners = [...facts];
    for (const e of events) {
      if (!scanners.some((x) => x.id === e.scannerId)) scanners.push({ id: e.scannerId, modality: e.modality });
    }
    if (scanners.length === 0) throw new SiteNotFoundError(`site ${site} has no scanners in status history or exam events; send a model in the request`);
    return buildSiteModel({ site, scanners, examEvents: events, fitFrom, fitTo: to, timezone: s.timezone, radiologists: s.radiologists });
  }
}
