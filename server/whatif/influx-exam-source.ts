// Exam events from InfluxDB, as ingestion stores them (docs/data-model.md): measurement scanner_event, tags
// site, modality, scanner, type (exam_start | exam_end | …), timestamp = the event's own time. Only the
// timing is read: no exam or patient attribute leaves the database for the model.
import { MODALITIES, type Modality } from '../../contracts/common.js';
import { influxString, type InfluxStore } from '../storage/influx.js';
import type { ExamEventSource } from './service.js';
import type { ExamEvent } from './site-model.js';

export const EVENT_MEASUREMENT = 'scanner_event';

export class InfluxExamSource implements ExamEventSource {
  constructor(private readonly query: InfluxStore['query']) {}

  async examEvents(site: string, from: number, to: number): Promise<(ExamEvent & { site: string })[]> {
    // One column is needed to select rows; exam_type is always written (empty when unknown).
    const q = `SELECT "exam_type" FROM ${EVENT_MEASUREMENT} WHERE "site" = ${influxString(site)} AND ("type" = 'exam_start' OR "type" = 'exam_end') AND time >= ${from}ms AND time < ${to}ms GROUP BY "scanner", "modality", "type"`;
    const [series = []] = await this.query(q);
    const out: (ExamEvent & { site: string })[] = [];
    for (const s of series) {
      const { scanner, modality, type } = s.tags ?? {};
      if (!scanner || !MODALITIES.includes(modality as Modality) || (type !== 'exam_start' && type !== 'exam_end')) continue;
      const ti = s.columns.indexOf('time');
      for (const row of s.values) {
        const ts = Number(row[ti]);
        if (Number.isFinite(ts)) out.push({ ts, site, modality: modality as Modality, scannerId: scanner, type });
      }
    }
    return out;
  }
}
