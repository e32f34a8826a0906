// Gantry's handle on InfluxDB: one client (with the 1.x-compatible transport), InfluxQL queries, database
// set-up and a liveness check. Domain modules get narrow views of this (a writer, a query function).
import { InfluxDB, setLogger, type WriteApi, type WriteOptions } from '@influxdata/influxdb-client';
import { V1CompatTransport } from './v1-transport.js';

export interface InfluxSettings {
  url: string;
  database: string;
  retentionPolicy: string;
  username?: string;
  password?: string;
}

export interface QuerySeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

interface QueryResponse {
  results?: { statement_id: number; series?: QuerySeries[]; error?: string }[];
  error?: string;
}

/** Escapes a value for use inside single quotes in InfluxQL. */
export function influxString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Quotes an identifier for InfluxQL. */
export function influxIdent(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// The client logs failures to the console by itself; Gantry's drain logs them once, through pino, with
// context. Silencing the client's logger keeps failures from being reported twice and unstructured.
setLogger({ error: () => undefined, warn: () => undefined });

/**
 * A query InfluxDB could not answer, said plainly: it refused the statement (an InfluxQL error), its reply was
 * not JSON (1.x sends plain text with HTTP 200 when it cannot encode a result, e.g. a mean that overflowed to
 * +Inf), or it was unreachable. Routes turn it into a 4xx/5xx error body instead of an unexplained 500.
 */
export class InfluxQueryError extends Error {
  constructor(readonly kind: 'refused' | 'unreadable' | 'unreachable', message: string) {
    super(message);
    this.name = 'InfluxQueryError';
  }
}

function queryError(err: unknown): InfluxQueryError {
  if (err instanceof InfluxQueryError) return err;
  if (err instanceof SyntaxError) {
    return new InfluxQueryError('unreadable', 'InfluxDB could not encode the result (a stored value is not finite, e.g. a sum or mean that overflowed); narrow the range or delete the bad points');
  }
  const e = err as { statusCode?: number; body?: string; message?: string };
  if (typeof e.statusCode === 'number') {
    let detail = e.body ?? e.message ?? '';
    try { detail = (JSON.parse(detail) as { error?: string }).error ?? detail; } catch { /* plain text body */ }
    return new InfluxQueryError(e.statusCode < 500 ? 'refused' : 'unreachable', `InfluxDB answered ${e.statusCode}: ${detail.slice(0, 300)}`);
  }
  return new InfluxQueryError('unreachable', `InfluxDB is unreachable: ${e.message ?? String(err)}`);
}

export class InfluxStore {
  readonly client: InfluxDB;
  readonly transport: V1CompatTransport;

  constructor(readonly settings: InfluxSettings) {
    const headers: Record<string, string> = {};
    if (settings.username) {
      headers.authorization = `Basic ${Buffer.from(`${settings.username}:${settings.password ?? ''}`).toString('base64')}`;
    }
    const base = new InfluxDB({ url: settings.url });
    this.transport = new V1CompatTransport(base.transport, headers);
    this.client = new InfluxDB({ url: settings.url, transport: this.transport });
  }

  writeApi(options: Partial<WriteOptions>, retentionPolicy = this.settings.retentionPolicy): WriteApi {
    return this.client.getWriteApi('', `${this.settings.database}/${retentionPolicy}`, 'ms', options);
  }

  /** Runs InfluxQL statements; throws an InfluxQueryError on the first error. Timestamps come back as epoch ms. */
  async query(q: string, db = this.settings.database): Promise<QuerySeries[][]> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (db) params.set('db', db);
    let res: QueryResponse;
    try {
      res = (await this.transport.request(`/query?${params.toString()}`, '', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })) as QueryResponse;
    } catch (err) {
      throw queryError(err);
    }
    if (typeof res !== 'object' || res === null) throw queryError(new SyntaxError('not JSON'));
    if (res.error) throw new InfluxQueryError('refused', `InfluxDB: ${res.error}`);
    return (res.results ?? []).map((r) => {
      if (r.error) throw new InfluxQueryError('refused', `InfluxDB: ${r.error}`);
      return r.series ?? [];
    });
  }

  /** Creates the database and its raw retention policy (idempotent). */
  async ensureDatabase(retentionDays: number): Promise<void> {
    const db = influxIdent(this.settings.database);
    const rp = influxIdent(this.settings.retentionPolicy);
    await this.query(`CREATE DATABASE ${db}`, '');
    const existing = await this.query(`SHOW RETENTION POLICIES ON ${db}`, '');
    const has = existing[0]?.[0]?.values.some((row) => row[0] === this.settings.retentionPolicy) ?? false;
    const verb = has ? 'ALTER' : 'CREATE';
    await this.query(`${verb} RETENTION POLICY ${rp} ON ${db} DURATION ${retentionDays}d REPLICATION 1 DEFAULT`, '');
  }

  /** Liveness with latency and server version; never throws. */
  async ping(timeoutMs = 2000): Promise<{ ok: boolean; latencyMs: number; detail: string }> {
    const started = performance.now();
    try {
      const res = await fetch(`${this.settings.url.replace(/\/$/, '')}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
      const latencyMs = performance.now() - started;
      const version = res.headers.get('x-influxdb-version') ?? 'unknown';
      return { ok: res.status === 204, latencyMs, detail: `InfluxDB ${version}` };
    } catch (err) {
      return { ok: false, latencyMs: performance.now() - started, detail: (err as Error).message };
    }
  }
}
