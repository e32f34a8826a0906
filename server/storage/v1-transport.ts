// @influxdata/influxdb-client always writes to /api/v2/write. InfluxDB 1.x (the only server Debian ships) and
// the v1-compatibility API of 2.x/3.x serve /write instead, so this transport rewrites that one path and
// passes everything else through. The client keeps its batching, retries, back-off and gzip.
import type { Transport, SendOptions, CommunicationObserver, ChunkCombiner } from '@influxdata/influxdb-client';

const PRECISION: Record<string, string> = { ns: 'n', us: 'u', ms: 'ms', s: 's' };

export function v2WritePathToV1(path: string): string {
  if (!path.startsWith('/api/v2/write')) return path;
  const query = new URLSearchParams(path.slice(path.indexOf('?') + 1));
  // The bucket is "database/retention-policy", the same convention InfluxDB 1.8+ uses for its v2 shim.
  const [db = '', rp = ''] = (query.get('bucket') ?? '').split('/');
  const out = new URLSearchParams({ db });
  if (rp) out.set('rp', rp);
  const precision = PRECISION[query.get('precision') ?? 'ns'];
  if (precision) out.set('precision', precision);
  const consistency = query.get('consistency');
  if (consistency) out.set('consistency', consistency);
  return `/write?${out.toString()}`;
}

export class V1CompatTransport implements Transport {
  readonly chunkCombiner: ChunkCombiner;

  constructor(private readonly inner: Transport, private readonly headers: Record<string, string> = {}) {
    this.chunkCombiner = inner.chunkCombiner;
  }

  private opts(options: SendOptions): SendOptions {
    return { ...options, headers: { ...this.headers, ...options.headers } };
  }

  send(path: string, body: string, options: SendOptions, callbacks?: Partial<CommunicationObserver<Uint8Array>>): void {
    this.inner.send(v2WritePathToV1(path), body, this.opts(options), callbacks);
  }

  request(path: string, body: unknown, options: SendOptions): Promise<unknown> {
    return this.inner.request(v2WritePathToV1(path), body, this.opts(options));
  }

  iterate(path: string, body: unknown, options: SendOptions): AsyncIterableIterator<Uint8Array> {
    return this.inner.iterate(v2WritePathToV1(path), body, this.opts(options));
  }
}
