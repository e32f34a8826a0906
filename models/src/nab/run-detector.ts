import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamingAnomalyDetector, type DetectorConfig } from '../anomaly/streaming-detector.js';
import type { NabSeries } from './corpus.js';

export interface SeriesScores {
  series: NabSeries;
  scores: number[];
  ms: number;
}

/** Runs a fresh, untrained detector over one series in order, as NAB requires. */
export function scoreSeries(series: NabSeries, config: Partial<DetectorConfig>): SeriesScores {
  const start = performance.now();
  const det = new StreamingAnomalyDetector({ ...config, dims: 1 });
  const scores = series.values.map((v, i) => det.update([v], series.timestamps[i]!).score);
  det.dispose();
  return { series, scores, ms: performance.now() - start };
}

/** NAB's results layout: DIR/<group>/<detector>_<file>.csv (pass NAB's results/<detector> as DIR). */
export function writeNabResults(dir: string, detector: string, result: SeriesScores): string {
  const { series, scores } = result;
  const outDir = join(dir, series.group);
  mkdirSync(outDir, { recursive: true });
  const lines = ['timestamp,value,anomaly_score,label'];
  series.values.forEach((v, i) => {
    const t = series.timestamps[i]!;
    const label = series.windows.some(([a, b]) => t >= a && t <= b) ? 1 : 0;
    lines.push(`${series.rawTimestamps[i]},${v},${scores[i]!.toFixed(6)},${label}`);
  });
  const path = join(outDir, `${detector}_${series.file}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
