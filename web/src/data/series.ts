import type { SeriesResponse } from '../../../contracts/series.js';
import { api } from './http.js';

/** Downsampled history of some metrics of one scanner; the server picks the bucket width. */
export function fetchSeries(scanner: string, metrics: string[], from: number, to: number, maxPoints = 400): Promise<SeriesResponse> {
  return api<SeriesResponse>('/api/telemetry/series', { query: { scanner, metrics: metrics.join(','), from, to, maxPoints } });
}
